// The ContainerRuntime port: run commands in isolated containers, capture everything, kill at any time.
//
// Isolation is the runtime's job, not the caller's: every container runs as a non-root user with a
// read-only root filesystem, a tmpfs /tmp, no capabilities, no-new-privileges, memory/CPU/pids limits,
// and no network unless `network: 'egress'`. A runtime that cannot reach its engine throws
// AuraError 'unavailable' (retryable); it never runs anything outside a container.

export type OutputStream = 'stdout' | 'stderr';

/** Why a container (or one command in it) ended. */
export type EndReason = 'exited' | 'killed' | 'timeout' | 'oom';

export interface ContainerLimits {
  memoryMb: number;
  cpus: number;
  pids: number;
}

/** What every container gets: image, mounts, environment, network, limits and labels. */
export interface ContainerBaseSpec extends ContainerLimits {
  image: string;
  /** Host folder mounted read-write at /workspace (it must be writable by `user`). */
  workspace?: string;
  /** Extra read-only mounts: host path → container path. */
  readOnlyMounts?: Record<string, string>;
  /** Extra read-write mounts: host path → container path (e.g. the git dir a worktree points at). */
  writableMounts?: Record<string, string>;
  /** The whole environment beyond the image's own (PATH, HOME): only what this one employee needs. */
  env?: Record<string, string>;
  /** 'none' unless the employee needs egress to its model endpoint. */
  network: 'none' | 'egress';
  /** For `run`: the command's deadline. For `start`: the whole session's lifetime. */
  timeoutMs: number;
  /** Labels, e.g. aura.run, aura.task, aura.employee (the runtime adds aura.managed=true). */
  labels?: Record<string, string>;
  /** Values masked as *** in captured and streamed output (secrets). */
  redact?: string[];
  /** uid:gid to run as; default 65534:65534. Root is refused. */
  user?: string;
  /** Working directory; default /workspace when a workspace is mounted. */
  workdir?: string;
  /** Size of the tmpfs at /tmp in MB (counts against memoryMb); default 64. */
  tmpfsMb?: number;
  /** Captured bytes kept per stream (head and tail, the middle dropped and marked); default 4 MiB. */
  maxOutputBytes?: number;
}

/** Live output as it arrives, already redacted (for first-byte timing and live logs). */
export type OutputListener = (stream: OutputStream, text: string) => void;

export interface ContainerSpec extends ContainerBaseSpec {
  command: string[];
  stdin?: string;
  onOutput?: OutputListener;
  /** Aborting kills the container (reason 'killed'), even before it has started. */
  signal?: AbortSignal;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  reason: EndReason;
  /** Whether some output was dropped to stay within maxOutputBytes. */
  truncated: boolean;
  containerId: string;
}

export type ContainerResult = CommandResult;

export interface ContainerHandle {
  id: string;
  /** Settles when the container has ended and been removed. Rejects with AuraError 'unavailable'
   * when the engine went away mid-run (the work is lost; run it again once ping() is ok). */
  result: Promise<ContainerResult>;
  /** Kills the container now; its result's reason becomes 'killed'. Safe to call at any time. */
  kill(): Promise<void>;
}

/** A long-lived container for one task, in which several commands run one after another. */
export interface SessionSpec extends ContainerBaseSpec {
  /** The container's main process; default: a sleep that outlives timeoutMs. */
  command?: string[];
}

export interface ExecOptions {
  stdin?: string;
  /** Added to the session's environment for this command only. */
  env?: Record<string, string>;
  workdir?: string;
  /** The command's deadline. Past it the whole session is killed (Docker cannot kill one exec):
   * the result's reason is 'timeout' and later exec() calls fail with AuraError 'conflict'. */
  timeoutMs?: number;
  /** More values to mask, for this command only. */
  redact?: string[];
  onOutput?: OutputListener;
}

export interface ExecResult extends CommandResult {
  command: string[];
}

export interface SessionEnd {
  reason: EndReason;
  exitCode: number;
}

export interface ContainerSession {
  id: string;
  /** Runs one command in the session's container and captures it. */
  exec(command: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Kills the container (a running exec ends with reason 'killed'). */
  kill(): Promise<void>;
  /** Kills if needed and removes the container. Call it when the task is done. */
  remove(): Promise<void>;
  /** Settles when the container stops; rejects with AuraError 'unavailable' if the engine went away. */
  ended: Promise<SessionEnd>;
}

/** The label naming the Manager (its lease owner) whose attempt a container belongs to: reaping finds orphans by it. */
export const MANAGER_LABEL = 'aura.manager';

export interface ContainerInfo {
  id: string;
  labels: Record<string, string>;
  running: boolean;
}

export interface ContainerRuntime {
  /** Whether the engine answers, and why not when it does not (quickly). */
  ping(): Promise<{ ok: boolean; detail: string }>;
  /** Runs one command in a new container; resolves once it has started. */
  run(spec: ContainerSpec): Promise<ContainerHandle>;
  /** Starts a long-lived container for exec(); resolves once it is running. */
  start(spec: SessionSpec): Promise<ContainerSession>;
  /** Kills every running container carrying all these labels (e.g. an employee's, when HR suspends it). */
  killByLabels(labels: Record<string, string>): Promise<number>;
  /** Force-removes every container carrying all these labels, running or not (orphans of a crash). */
  removeByLabels(labels: Record<string, string>): Promise<number>;
  /** Every container (running or not) carrying all these labels, with its labels. */
  listByLabels(labels: Record<string, string>): Promise<ContainerInfo[]>;
  /** The engine's own identity (Docker's daemon ID): Managers on one engine can remove each other's containers. */
  engineId?(): Promise<string>;
}
