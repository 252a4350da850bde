// What every core service is built from: the ports and shared infrastructure of one process.
import type { Config } from './config/config';
import type { Clock } from './domain/clock';
import type { AuditSigner } from './events/chain';
import type { EventLog } from './events/event-log';
import type { Logger } from './observability/logger';
import type { Metrics } from './observability/metrics';
import type { ReadinessCheck } from './observability/readiness';
import type { Store } from './store/store';

export interface CoreContext {
  config: Config;
  store: Store;
  events: EventLog;
  signer: AuditSigner;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  readiness: ReadinessCheck[];
}
