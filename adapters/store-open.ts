// Opens the configured store: PostgreSQL when DATABASE_URL is set, embedded PGlite under $AURA_HOME/db otherwise.
import type { Config } from '../core/config/config';
import type { Logger } from '../core/observability/logger';
import type { Store } from '../core/store/store';
import { openPgStore } from './store-pg/pg-store';
import { openPgliteStore } from './store-pglite/pglite-store';

export async function openStore(config: Pick<Config, 'databaseUrl' | 'dbDir'>, logger?: Logger): Promise<Store> {
  if (config.databaseUrl) return openPgStore({ url: config.databaseUrl, logger });
  return openPgliteStore({ dataDir: config.dbDir });
}
