// The ContainerRuntime port: run one command in an isolated container, capture everything, kill at any time.

export interface ContainerSpec {
  image: string;
  command: string[];
  /** Host folder mounted read-write at /workspace. */
  workspace?: string;
  /** Extra read-only mounts: host path → container path. */
  readOnlyMounts?: Record<string, string>;
  /** Only what this one employee needs (its own API key, by value, resolved at the last moment). */
  env?: Record<string, string>;
  /** Network: 'none' unless the employee needs egress to its model endpoint. */
  network: 'none' | 'egress';
  memoryMb: number;
  cpus: number;
  pids: number;
  timeoutMs: number;
  stdin?: string;
  labels?: Record<string, string>;
  /** Values to mask in captured output (secrets). */
  redact?: string[];
}

export interface ContainerResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** 'exited' normally, 'killed' by cancel, 'timeout', or 'oom'. */
  reason: 'exited' | 'killed' | 'timeout' | 'oom';
  containerId: string;
}

export interface ContainerHandle {
  id: string;
  result: Promise<ContainerResult>;
  kill(): Promise<void>;
}

export interface ContainerRuntime {
  /** Whether the engine answers, and why not when it does not. */
  ping(): Promise<{ ok: boolean; detail: string }>;
  run(spec: ContainerSpec): Promise<ContainerHandle>;
  /** Kills every container carrying these labels (e.g. an employee's, when HR suspends it). */
  killByLabels(labels: Record<string, string>): Promise<number>;
}
