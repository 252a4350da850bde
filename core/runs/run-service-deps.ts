// What the run and task services are built from.
import type { Clock } from '../domain/clock';
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';

export interface RunServiceDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  logger: Logger;
}
