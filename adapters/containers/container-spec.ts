// Container specs checked at the adapter's edge, and the engine options that impose isolation on every container.
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { z } from 'zod';
import type { ContainerBaseSpec, ContainerSpec, ExecOptions, OutputListener, SessionSpec } from '../../core/containers/container-runtime';
import { AuraError, describeIssues } from '../../core/domain/errors';
import { workerUser } from './worker-image-rootfs';

const absolutePath = z.string().regex(/^\/.*/, 'expected an absolute path');
const containerPath = z.string().regex(/^\/.+/, 'expected an absolute path other than /');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');
const listener = z.custom<OutputListener>((v) => typeof v === 'function', 'expected a function');

/** uid[:gid], numeric only (a name could resolve to root inside an image); root is refused. */
const user = z
  .string()
  .regex(/^\d+(:\d+)?$/, 'expected a numeric uid or uid:gid')
  .refine((u) => !u.split(':').some((id) => Number(id) === 0), 'containers never run as root (uid or gid 0)');

const baseSpec = z.object({
  image: z.string().min(1),
  workspace: absolutePath.optional(),
  readOnlyMounts: z.record(absolutePath, containerPath).optional(),
  writableMounts: z.record(absolutePath, containerPath).optional(),
  env: z.record(envName, z.string()).optional(),
  network: z.enum(['none', 'egress']),
  memoryMb: z.number().int().min(8).max(1 << 20),
  cpus: z.number().min(0.01).max(256),
  pids: z.number().int().min(4).max(1 << 22),
  timeoutMs: z.number().int().min(1).max(7 * 24 * 3_600_000),
  labels: z.record(z.string().min(1), z.string()).optional(),
  redact: z.array(z.string()).optional(),
  user: user.optional(),
  workdir: containerPath.optional(),
  tmpfsMb: z.number().int().min(1).max(1 << 20).optional(),
  maxOutputBytes: z.number().int().min(1024).optional(),
});

const runSpec = baseSpec.extend({
  command: z.array(z.string()).min(1, 'expected a command'),
  stdin: z.string().optional(),
  onOutput: listener.optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'expected an AbortSignal').optional(),
});

const sessionSpec = baseSpec.extend({ command: z.array(z.string()).min(1).optional() });

const execOptions = z.object({
  stdin: z.string().optional(),
  env: z.record(envName, z.string()).optional(),
  workdir: containerPath.optional(),
  timeoutMs: z.number().int().min(1).optional(),
  redact: z.array(z.string()).optional(),
  onOutput: listener.optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AuraError('invalid_input', `Invalid ${what}: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

export const parseRunSpec = (spec: ContainerSpec): ContainerSpec => parse(runSpec, spec, 'container spec') as ContainerSpec;
export const parseSessionSpec = (spec: SessionSpec): SessionSpec => parse(sessionSpec, spec, 'session spec') as SessionSpec;
export const parseExecOptions = (options: ExecOptions): ExecOptions => parse(execOptions, options, 'exec options') as ExecOptions;
export const parseCommand = (command: string[]): string[] => parse(z.array(z.string()).min(1, 'expected a command'), command, 'command');

export const managedLabel = 'aura.managed';

/** uid:gid as the engine takes it; a lone uid gets the group of the same number (never group 0). */
function normalUser(value: string | undefined): string {
  const u = value ?? workerUser;
  return u.includes(':') ? u : `${u}:${u}`;
}

export function envList(env: Record<string, string> | undefined): string[] {
  return Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`);
}

function containerName(labels: Record<string, string> | undefined): string {
  const task = (labels?.['aura.task'] ?? 'task').replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 48);
  return `aura-${task}-${randomBytes(4).toString('hex')}`;
}

export interface IsolationOptions {
  /** NetworkMode for `network: 'egress'` (default 'host': dockerd here runs with --bridge=none). */
  egressNetwork: string;
}

/** The engine's create options: the spec's limits and mounts inside a fixed isolation envelope. */
export function createOptions(spec: ContainerBaseSpec, command: string[], isolation: IsolationOptions, stdin: boolean): Docker.ContainerCreateOptions {
  const mounts: Array<{ Type: 'bind'; Source: string; Target: string; ReadOnly: boolean }> = [];
  if (spec.workspace) mounts.push({ Type: 'bind', Source: spec.workspace, Target: '/workspace', ReadOnly: false });
  for (const [source, target] of Object.entries(spec.readOnlyMounts ?? {})) mounts.push({ Type: 'bind', Source: source, Target: target, ReadOnly: true });
  for (const [source, target] of Object.entries(spec.writableMounts ?? {})) mounts.push({ Type: 'bind', Source: source, Target: target, ReadOnly: false });
  const memory = spec.memoryMb * 1024 * 1024;
  return {
    name: containerName(spec.labels),
    Image: spec.image,
    Cmd: command,
    Env: envList(spec.env),
    User: normalUser(spec.user),
    WorkingDir: spec.workdir ?? (spec.workspace ? '/workspace' : undefined),
    Hostname: 'aura-worker',
    Labels: { ...spec.labels, [managedLabel]: 'true' },
    Tty: false,
    AttachStdin: stdin,
    OpenStdin: stdin,
    StdinOnce: stdin,
    AttachStdout: true,
    AttachStderr: true,
    // The runtime always kills with SIGKILL; an engine shutting down need not wait 10 s for a graceful stop.
    StopTimeout: 1,
    HostConfig: {
      Mounts: mounts,
      Memory: memory,
      MemorySwap: memory, // no swap beyond the memory limit
      NanoCpus: Math.round(spec.cpus * 1e9),
      PidsLimit: spec.pids,
      NetworkMode: spec.network === 'egress' ? isolation.egressNetwork : 'none',
      ReadonlyRootfs: true,
      // exec is allowed: /workspace is executable anyway, and build tools run helpers from /tmp.
      Tmpfs: { '/tmp': `rw,nosuid,nodev,exec,size=${spec.tmpfsMb ?? 64}m,mode=1777` },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      IpcMode: 'private',
      AutoRemove: false, // the runtime inspects (exit code, OOM) before it removes
    },
  };
}
