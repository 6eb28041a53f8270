import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller.js';
import { ConsoleService } from './console.service.js';

/** The demo EHR console; AppModule imports it only in the demo configuration. */
@Module({ controllers: [ConsoleController], providers: [ConsoleService] })
export class ConsoleModule {}
