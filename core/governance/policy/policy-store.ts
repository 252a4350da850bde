// Versioned policy sets in the database: validated before storing, each change an event, the last good set in force.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../domain/clock';
import { AuraError } from '../../domain/errors';
import type { EventLog } from '../../events/event-log';
import type { Logger } from '../../observability/logger';
import type { Queryable, Store } from '../../store/store';
import { DEFAULT_POLICY_SET, defaultPolicySource } from './default-policies';
import { type CompiledPolicySet, compilePolicySet, type PolicyProblem } from './policy-compile';
import { policySetNameSchema } from './policy-schema';

export interface PolicySetInForce {
  name: string;
  /** 0 when the shipped defaults are used before they were ever stored. */
  version: number;
  set: CompiledPolicySet;
}

export interface PolicyVersion {
  name: string;
  version: number;
  source: string;
  sourceHash: string;
  origin: string;
  createdBy: string;
  createdAt: Date;
  rules: number;
}

export interface PolicyFileReport {
  file: string;
  name: string;
  ok: boolean;
  version?: number;
  problem?: PolicyProblem;
}

export interface PolicyStore {
  /** Stores the shipped defaults as version 1 of "default" when no version exists yet. */
  ensureShipped(): Promise<void>;
  /** The compiled set in force for `name` (null means "default"): its newest version that compiles. */
  inForce(name: string | null, q?: Queryable): Promise<PolicySetInForce>;
  /** Validates and stores a new version (no-op when the source is unchanged); a rejection is recorded, nothing changes. */
  set(name: string, source: string, actor: string, origin?: string): Promise<PolicyVersion>;
  list(): Promise<PolicyVersion[]>;
  get(name: string, version?: number): Promise<PolicyVersion>;
  history(name: string): Promise<Array<Omit<PolicyVersion, 'source'>>>;
  /** Loads every `*.yaml`/`*.yml` in a folder as the set named by its file; a broken file leaves its set as it was. */
  loadFolder(dir: string, actor: string): Promise<PolicyFileReport[]>;
}

interface VersionRow {
  name: string;
  version: number;
  source: string;
  source_hash: string;
  origin: string;
  created_by: string;
  created_at: Date;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function createPolicyStore(deps: { store: Store; events: EventLog; clock: Clock; logger: Logger }): PolicyStore {
  const { store, events, clock, logger } = deps;
  const shipped = compilePolicySet(DEFAULT_POLICY_SET, defaultPolicySource);
  const cache = new Map<string, PolicySetInForce>();

  const toVersion = (row: VersionRow): PolicyVersion => ({
    name: row.name,
    version: Number(row.version),
    source: row.source,
    sourceHash: row.source_hash,
    origin: row.origin,
    createdBy: row.created_by,
    createdAt: row.created_at,
    rules: countRules(row.name, row.source),
  });

  const latestVersion = async (q: Queryable, name: string) =>
    Number((await q.query<{ v: number | null }>('SELECT max(version) AS v FROM aura.policy_versions WHERE name = $1', [name])).rows[0]?.v ?? 0);

  async function inForce(name: string | null, q: Queryable = store): Promise<PolicySetInForce> {
    const wanted = name ?? DEFAULT_POLICY_SET;
    const latest = await latestVersion(q, wanted);
    if (latest === 0) {
      if (wanted === DEFAULT_POLICY_SET) return { name: wanted, version: 0, set: shipped };
      throw new AuraError('not_found', `No policy set named "${wanted}". Create it with set_policies, or leave the run's policy set empty to use "default".`);
    }
    const cached = cache.get(wanted);
    if (cached && cached.version === latest) return cached;
    // Newest first: a stored version that no longer compiles is skipped, never treated as "no rules".
    const rows = (await q.query<VersionRow>('SELECT * FROM aura.policy_versions WHERE name = $1 ORDER BY version DESC LIMIT 20', [wanted])).rows;
    for (const row of rows) {
      try {
        const found = { name: wanted, version: Number(row.version), set: compilePolicySet(wanted, row.source) };
        cache.set(wanted, found);
        return found;
      } catch (error) {
        logger.error({ policySet: wanted, version: row.version, err: (error as Error).message }, 'stored policy version does not compile; using an older one');
      }
    }
    if (wanted === DEFAULT_POLICY_SET) return { name: wanted, version: 0, set: shipped };
    throw new AuraError('internal', `No stored version of policy set "${wanted}" compiles; enforcement refuses to guess.`);
  }

  async function reject(name: string, origin: string, actor: string, error: AuraError): Promise<never> {
    const problem = error.details as unknown as PolicyProblem;
    const current = await latestVersion(store, name);
    await events.append({ type: 'PolicySetRejected', actor, payload: { name, origin, line: problem.line, column: problem.column, reason: problem.reason, inForce: current } });
    if (problem.disables) {
      await events.append({ type: 'GovernanceDisableRefused', actor, payload: { component: `policies:${name}`, requestedBy: actor, reason: problem.reason } });
    }
    throw error;
  }

  async function set(name: string, source: string, actor: string, origin = 'director'): Promise<PolicyVersion> {
    const parsedName = policySetNameSchema.safeParse(name);
    if (!parsedName.success) throw new AuraError('invalid_input', `Invalid policy set name "${name}": ${parsedName.error.issues[0]!.message}`);
    let compiled: CompiledPolicySet;
    try {
      compiled = compilePolicySet(name, source);
    } catch (error) {
      if (AuraError.is(error, 'invalid_input') && error.details) return reject(name, origin, actor, error);
      throw error;
    }
    const hash = sha256(source);
    return store.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`aura.policy:${name}`]);
      const last = (await tx.query<VersionRow>('SELECT * FROM aura.policy_versions WHERE name = $1 ORDER BY version DESC LIMIT 1', [name])).rows[0];
      if (last && last.source_hash === hash) return toVersion(last);
      const version = Number(last?.version ?? 0) + 1;
      const row = (
        await tx.query<VersionRow>(
          'INSERT INTO aura.policy_versions (name, version, source, source_hash, origin, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
          [name, version, source, hash, origin, actor, clock.now().toISOString()],
        )
      ).rows[0]!;
      await events.appendIn(tx, [{ type: 'PolicySetUpdated', actor, payload: { name, version, sourceHash: hash, origin, rules: compiled.rules.length } }]);
      return toVersion(row);
    });
  }

  return {
    async ensureShipped() {
      if ((await latestVersion(store, DEFAULT_POLICY_SET)) > 0) return;
      await store.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`aura.policy:${DEFAULT_POLICY_SET}`]);
        if ((await latestVersion(tx, DEFAULT_POLICY_SET)) > 0) return;
        const hash = sha256(defaultPolicySource);
        await tx.query(
          "INSERT INTO aura.policy_versions (name, version, source, source_hash, origin, created_by, created_at) VALUES ($1, 1, $2, $3, 'shipped', 'system', $4)",
          [DEFAULT_POLICY_SET, defaultPolicySource, hash, clock.now().toISOString()],
        );
        await events.appendIn(tx, [{ type: 'PolicySetUpdated', actor: 'system', payload: { name: DEFAULT_POLICY_SET, version: 1, sourceHash: hash, origin: 'shipped', rules: shipped.rules.length } }]);
      });
    },
    inForce,
    set,
    async list() {
      const rows = await store.query<VersionRow>('SELECT DISTINCT ON (name) * FROM aura.policy_versions ORDER BY name, version DESC');
      return rows.rows.map(toVersion);
    },
    async get(name, version) {
      const row = version
        ? (await store.query<VersionRow>('SELECT * FROM aura.policy_versions WHERE name = $1 AND version = $2', [name, version])).rows[0]
        : (await store.query<VersionRow>('SELECT * FROM aura.policy_versions WHERE name = $1 ORDER BY version DESC LIMIT 1', [name])).rows[0];
      if (!row) throw new AuraError('not_found', `No policy set "${name}"${version ? ` version ${version}` : ''}.`);
      return toVersion(row);
    },
    async history(name) {
      const rows = await store.query<VersionRow>('SELECT * FROM aura.policy_versions WHERE name = $1 ORDER BY version DESC', [name]);
      return rows.rows.map((row) => {
        const { source: _source, ...rest } = toVersion(row);
        return rest;
      });
    },
    async loadFolder(dir, actor) {
      if (!fs.existsSync(dir)) return [];
      const reports: PolicyFileReport[] = [];
      for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
        const full = path.join(dir, file);
        const name = file.replace(/\.ya?ml$/, '');
        try {
          const stored = await set(name, fs.readFileSync(full, 'utf8'), actor, `file:${full}`);
          reports.push({ file: full, name, ok: true, version: stored.version });
        } catch (error) {
          if (!AuraError.is(error, 'invalid_input')) throw error;
          const problem = (error.details as unknown as PolicyProblem | undefined) ?? { line: null, column: null, reason: error.message };
          logger.error({ file: full, ...problem }, 'policy file rejected; the last good version stays in force');
          reports.push({ file: full, name, ok: false, problem });
        }
      }
      return reports;
    },
  };
}

function countRules(name: string, source: string): number {
  try {
    return compilePolicySet(name, source).rules.length;
  } catch {
    // A stored version that no longer compiles is listed with no usable rules; inForce skips it.
    return 0;
  }
}
