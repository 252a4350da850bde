// Prometheus metrics of the Manager: attempts started and finished (by outcome), attempts running here.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { SchedulerObserver } from './scheduler';

function counter(registry: Registry, name: string, help: string, labelNames: string[] = []): Counter<string> {
  return (registry.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

/** An observer that counts attempts into `registry` (metrics are shared if several Managers use one registry). */
export function managerMetrics(registry: Registry): SchedulerObserver {
  const started = counter(registry, 'aura_task_attempts_started_total', 'Task attempts started by this process.');
  const finished = counter(registry, 'aura_task_attempts_finished_total', 'Task attempts finished, by recorded outcome.', ['outcome']);
  const running =
    (registry.getSingleMetric('aura_task_attempts_running') as Gauge<string> | undefined) ??
    new Gauge({ name: 'aura_task_attempts_running', help: 'Task attempts running in this process now.', registers: [registry] });
  return {
    onAttemptStart: () => {
      started.inc();
      running.inc();
    },
    onAttemptRecorded: ({ outcome }) => {
      finished.inc({ outcome });
      running.dec();
    },
  };
}
