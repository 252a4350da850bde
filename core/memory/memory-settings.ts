// The memory's settings (TTL per scope, default namespaces, context budget, proposal policy), read from the Config.
import type { Config } from '../config/config';
import type { MemoryScope } from './memory-schema';

export type ProposalPolicy = 'approve' | 'auto-run' | 'auto';

export interface MemorySettings {
  project: string;
  org: string;
  /** Milliseconds an entry lives after its last write, per scope; null: no expiry. */
  ttlMs: Readonly<Record<MemoryScope, number | null>>;
  contextTokens: number;
  proposals: ProposalPolicy;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ttl = (amount: number, unit: number) => (amount > 0 ? Math.round(amount * unit) : null);

export function memorySettings(config: Pick<Config, 'memoryProject' | 'memoryOrg' | 'memoryTtlRunHours' | 'memoryTtlProjectDays' | 'memoryTtlOrgDays' | 'memoryTtlUserDays' | 'memoryContextTokens' | 'memoryProposals'>): MemorySettings {
  return Object.freeze({
    project: config.memoryProject,
    org: config.memoryOrg,
    ttlMs: Object.freeze({
      run: ttl(config.memoryTtlRunHours, HOUR),
      project: ttl(config.memoryTtlProjectDays, DAY),
      org: ttl(config.memoryTtlOrgDays, DAY),
      user: ttl(config.memoryTtlUserDays, DAY),
    }),
    contextTokens: config.memoryContextTokens,
    proposals: config.memoryProposals,
  });
}

/** The token estimate used for budgets: about four characters a token, as most tokenisers average on English and code. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
