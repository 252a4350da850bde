// Process configuration: read from the environment in one place, validated, frozen, secrets redacted.
import path from 'node:path';
import { z } from 'zod';
import { AuraError } from '../domain/errors';
import { cronProblem } from '../backup/backup-schedule';
import { recordingModes } from '../replay/call-recorder';
import { envNames } from './env-names';

const port = z.coerce
  .number({ error: 'expected a TCP port number (1-65535)' })
  .int('expected a whole number')
  .min(1, 'expected a TCP port number (1-65535)')
  .max(65535, 'expected a TCP port number (1-65535)');

const configSchema = z.object({
  home: z.string().min(1),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  auditKey: z.string().min(16, 'expected at least 16 characters of secret').optional(),
  auditKeyFile: z.string().min(1).optional(),
  host: z.string().min(1),
  apiPort: port,
  mcpPort: port,
  /** Tools a session sees unless it asks: `full`, `core`, or a comma-separated list of tool names. */
  mcpTools: z.string().regex(/^(full|core|[a-z_]+(,\s*[a-z_]+)*)$/, 'expected full, core, or tool names separated by commas'),
  /** A bearer token `aura mcp` (stdio) acts as, instead of the local Director. */
  mcpToken: z.string().min(1).optional(),
  /** Browser origins, besides the dashboard's own, that may call /mcp (comma-separated). */
  mcpAllowedOrigins: z.string().regex(/^(https?:\/\/[^\s,]+)(,\s*https?:\/\/[^\s,]+)*$/, 'expected origins like http://host:port separated by commas').optional(),
  uiPort: port,
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
  maxModelContainers: z.coerce.number().int('expected a whole number').min(1, 'expected at least 1').max(64),
  retentionDays: z.coerce.number().int('expected a whole number of days').min(1, 'expected at least 1 day'),
  reviewThreshold: z.coerce.number().min(0, 'expected a score from 0 to 10').max(10, 'expected a score from 0 to 10'),
  dockerHost: z.string().min(1).optional(),
  /** The image employees' containers run (built locally by `aura images build`). */
  workerImage: z.string().min(1),
  /** Whether `aura serve` builds the worker image when the engine answers and does not have it. */
  buildImageOnStart: z.enum(['true', 'false'], { error: 'expected true or false' }).transform((v) => v === 'true'),
  /** NetworkMode of a container whose employee needs egress (`host` where dockerd runs with --bridge=none). */
  containerEgressNetwork: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.:-]*$/, 'expected a Docker network mode or name, e.g. host or bridge'),
  /** Model and tool calls: `record` (store each outcome), `replay` (serve from the record, never call), `off`. */
  recording: z.enum(recordingModes, { error: 'expected record, replay or off' }),
  /** The hired employee (by name) whose model plans PRDs and answers chat_manager; unset: the structural planner. */
  plannerEmployee: z.string().min(1).max(100).optional(),
  /** The hired employee (by name) whose model reviews results (verification layer 4); unset: no model review. */
  reviewerEmployee: z.string().min(1).max(100).optional(),
  /** Where the model gateway listens: loopback by default (containers on the `host` egress network reach it there). */
  gatewayHost: z.string().min(1),
  /** The model gateway's port: CLI agents' model calls, each checked, metered and recorded. */
  gatewayPort: port,
  /** The MCP endpoint the Director's client commands (`aura runs`, `aura watch`, ...) talk to; unset: this machine's `aura serve`. */
  serverUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL of the MCP endpoint, e.g. http://host:9000/mcp' }).optional(),
  /** Where backups and their manifests are written; unset: $AURA_HOME/backups. */
  backupDir: z.string().min(1).optional(),
  /** When the leader Manager takes a backup (cron, five fields, UTC); `off` takes none on a schedule. */
  backupCron: z.string().min(1).superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** Backups older than this are removed by the Director's `aura backup prune` (never automatically). */
  backupRetentionDays: z.coerce.number().int('expected a whole number of days').min(1, 'expected at least 1 day'),
  /**
   * pg_dump's compression level (0-9) for PostgreSQL backups. 0 (the default): compressing was most of a backup's time
   * (docs/benchmarks.md, Operations), for a dump about 4× larger; 1 is the fast gzip, 6 pg_dump's own default.
   */
  backupCompression: z.coerce.number().int('expected a whole number from 0 to 9').min(0, 'expected 0 to 9').max(9, 'expected 0 to 9'),
  /** The hired employee (by name) whose model embeds memory for semantic search; unset: keyword search only. */
  memoryEmbeddingEmployee: z.string().min(1).max(100).optional(),
  /** The namespaces of project and org memory this process reads and writes by default. */
  memoryProject: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$/, 'expected letters, digits and . _ : -'),
  memoryOrg: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$/, 'expected letters, digits and . _ : -'),
  /** Time to live of memory entries since their last write; 0 means no expiry. */
  memoryTtlRunHours: z.coerce.number().min(0, 'expected 0 (no expiry) or more'),
  memoryTtlProjectDays: z.coerce.number().min(0, 'expected 0 (no expiry) or more'),
  memoryTtlOrgDays: z.coerce.number().min(0, 'expected 0 (no expiry) or more'),
  memoryTtlUserDays: z.coerce.number().min(0, 'expected 0 (no expiry) or more'),
  /** Tokens of memory the Manager puts into a planner's or an employee's context at most. */
  memoryContextTokens: z.coerce.number().int('expected a whole number').min(0).max(200_000),
  /** What an employee's memory proposal needs: approve (the Director's, default), auto-run (run scope applied, others held), auto. */
  memoryProposals: z.enum(['approve', 'auto-run', 'auto'], { error: 'expected approve, auto-run or auto' }),
});

export type ConfigValues = z.infer<typeof configSchema>;

/** The names of fields whose values are secrets; they never leave the process in logs or JSON. */
const secretFields: ReadonlyArray<keyof ConfigValues> = ['auditKey', 'databaseUrl', 'mcpToken'];

export interface Config extends Readonly<ConfigValues> {
  /** Where the embedded database lives. */
  readonly dbDir: string;
  readonly secretsDir: string;
  readonly logsDir: string;
  readonly snapshotsDir: string;
  readonly workspacesDir: string;
  readonly backupsDir: string;
  /** Signed checkpoints of every chain head, kept outside the database (heads-checkpoint.json). */
  readonly auditDir: string;
  /** Where `aura images build --agent` installs agents' npm packages before adding them to an image. */
  readonly agentsDir: string;
  toJSON(): Record<string, unknown>;
}

const defaults: Record<string, string> = {
  [envNames.home]: './.aura',
  [envNames.host]: '127.0.0.1',
  [envNames.apiPort]: '8000',
  [envNames.mcpPort]: '9000',
  [envNames.mcpTools]: 'full',
  [envNames.uiPort]: '5173',
  [envNames.logLevel]: 'info',
  [envNames.maxModelContainers]: '3',
  [envNames.retentionDays]: '365',
  [envNames.reviewThreshold]: '7',
  [envNames.workerImage]: 'aura/worker:local',
  [envNames.buildImageOnStart]: 'true',
  [envNames.containerEgressNetwork]: 'host',
  [envNames.recording]: 'record',
  [envNames.gatewayHost]: '127.0.0.1',
  [envNames.gatewayPort]: '8010',
  [envNames.backupCron]: '17 3 * * *',
  [envNames.backupRetentionDays]: '30',
  [envNames.backupCompression]: '0',
  [envNames.memoryProject]: 'default',
  [envNames.memoryOrg]: 'default',
  [envNames.memoryTtlRunHours]: '24',
  [envNames.memoryTtlProjectDays]: '90',
  [envNames.memoryTtlOrgDays]: '0',
  [envNames.memoryTtlUserDays]: '0',
  [envNames.memoryContextTokens]: '2000',
  [envNames.memoryProposals]: 'approve',
};

/** Reads the configuration; a bad value fails with the variable's name and what is expected. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const raw: Record<string, string | undefined> = {};
  for (const [field, name] of Object.entries(envNames)) {
    const value = env[name];
    raw[field] = value === undefined || value === '' ? defaults[name] : value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0]) as keyof typeof envNames;
      const shown = secretFields.includes(field as keyof ConfigValues) ? '(secret, not shown)' : JSON.stringify(raw[field]);
      return `${envNames[field]}=${shown}: ${issue.message}`;
    });
    throw new AuraError('config', `Invalid configuration. Fix: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  const values = parsed.data;
  const home = path.resolve(cwd, values.home);
  const config: Config = {
    ...values,
    home,
    dbDir: path.join(home, 'db'),
    secretsDir: path.join(home, 'secrets'),
    logsDir: path.join(home, 'logs'),
    snapshotsDir: path.join(home, 'snapshots'),
    workspacesDir: path.join(home, 'workspaces'),
    backupsDir: values.backupDir ? path.resolve(cwd, values.backupDir) : path.join(home, 'backups'),
    auditDir: path.join(home, 'audit'),
    agentsDir: path.join(home, 'agents'),
    toJSON() {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(this)) {
        if (typeof value === 'function') continue;
        out[key] = secretFields.includes(key as keyof ConfigValues) && value !== undefined ? '[redacted]' : value;
      }
      return out;
    },
  };
  return Object.freeze(config);
}

/** Redacts the password of a database URL so it can be shown in an error. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
