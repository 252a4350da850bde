// Prometheus metrics (prom-client): one registry per process, passed in rather than global.
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  eventsAppended: Counter<'type'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'aura_process_' });
  const eventsAppended = new Counter({ name: 'aura_events_appended_total', help: 'Events written to the audit log, by type (counted at write time, inside their transaction).', labelNames: ['type'], registers: [registry] });
  return { registry, eventsAppended };
}
