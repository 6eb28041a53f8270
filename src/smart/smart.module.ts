import { Module } from '@nestjs/common';

/** The embedded SMART App Launch 2.x authorization server. */
@Module({})
export class SmartModule {}
