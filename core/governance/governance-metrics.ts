// Prometheus metrics of governance: employee scores, verifications, anomalies and cost, on the process registry.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Metrics } from '../observability/metrics';

export interface GovernanceMetrics {
  score: Gauge<'employee_id' | 'employee' | 'kind'>;
  accuracy: Gauge<'employee_id' | 'employee' | 'kind'>;
  assessed: Counter<'outcome'>;
  verifications: Counter<'layer' | 'result'>;
  anomalies: Counter<'kind'>;
  costUsd: Counter<'source'>;
}

/** Registers once per registry: a second governance instance on the same registry shares the same metrics. */
function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function createGovernanceMetrics(metrics: Metrics): GovernanceMetrics {
  const registers = [metrics.registry];
  const r = metrics.registry;
  return {
    score: once(r, 'aura_employee_score', () => new Gauge({ name: 'aura_employee_score', help: "The Accountant's score of an employee (0-100), by task kind ('*' for all).", labelNames: ['employee_id', 'employee', 'kind'], registers })),
    accuracy: once(r, 'aura_employee_accuracy', () => new Gauge({ name: 'aura_employee_accuracy', help: 'Decayed share of verified attempts (0-1), by task kind.', labelNames: ['employee_id', 'employee', 'kind'], registers })),
    assessed: once(r, 'aura_attempts_assessed_total', () => new Counter({ name: 'aura_attempts_assessed_total', help: 'Attempts assessed by the Accountant, by outcome.', labelNames: ['outcome'], registers })),
    verifications: once(r, 'aura_verifications_total', () => new Counter({ name: 'aura_verifications_total', help: 'Verification layers run by the Auditor, by layer and result.', labelNames: ['layer', 'result'], registers })),
    anomalies: once(r, 'aura_anomalies_total', () => new Counter({ name: 'aura_anomalies_total', help: 'Anomalies the Auditor recorded, by kind.', labelNames: ['kind'], registers })),
    costUsd: once(r, 'aura_cost_usd_total', () => new Counter({ name: 'aura_cost_usd_total', help: 'Cost recorded in the ledger (USD), by source.', labelNames: ['source'], registers })),
  };
}
