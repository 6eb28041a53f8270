import { Module } from '@nestjs/common';

/** CDS Hooks transport: discovery, service calls, feedback, card post-processing. */
@Module({})
export class CdsModule {}
