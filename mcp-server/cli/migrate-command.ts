// `aura migrate`: applies pending migrations and prints the database's version.
import type { Command } from 'commander';
import { loadConfig } from '../../core/config/config';
import { createLogger } from '../../core/observability/logger';
import { currentVersion } from '../../core/store/migrations';
import { openCore } from '../app/open-core';
import { act } from './command-kit';

export function register(program: Command): void {
  program.command('migrate').description('Apply pending database migrations').action(act('migrate', () => migrateDatabase()));
}

async function migrateDatabase(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ service: 'migrate', level: config.logLevel, destination: 'stderr' });
  const core = await openCore({ config, logger, migrate: true });
  try {
    process.stdout.write(`Database at migration ${await currentVersion(core.store)}.\n`);
    return 0;
  } finally {
    await core.store.close();
  }
}
