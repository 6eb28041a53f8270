import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DATABASE, type Database } from './database.js';
import { CommitScheduler } from './group-commit.js';
import { openDatabase } from './open-database.js';

/** Opens the database once per application and closes it on shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: DATABASE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => openDatabase(config),
    },
    // One per database: every table's group-committed writes of a turn share its transaction.
    { provide: CommitScheduler, inject: [DATABASE], useFactory: (db: Database) => new CommitScheduler(db) },
  ],
  exports: [DATABASE, CommitScheduler],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
