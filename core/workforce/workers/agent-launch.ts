// How a CLI-agent employee's container is launched and its outcome read: the aura.cli-agent/1 protocol, or a preset.
import type { ContainerResult } from '../../containers/container-runtime';
import type { Assignment, Telemetry, WorkContext, WorkResult } from '../worker';
import type { AttemptRunlog } from './runlog';

/** What the container runs with, and what the worker makes of how it ended. */
export interface AgentLaunch {
  image: string;
  command: string[];
  /** The command line as the runlog and events show it (the prompt and the token never in it). */
  shown: string;
  stdin: string;
  env: Record<string, string>;
  redact: string[];
  network: 'none' | 'egress';
  /** Input of the recorded tool call (what identifies this launch in the call record). */
  recordArgs: Record<string, unknown>;
  /** Runs `stop` when the launch must end early (a gateway refusal); returns a function that unregisters. */
  onAbort(stop: () => void): () => void;
  /** The attempt's result once the container has exited (not killed, not timed out, not out of memory). */
  result(run: ContainerResult, context: WorkContext, runlog: AttemptRunlog): Promise<WorkResult>;
  /** The attempt's telemetry so far (used for every ending, a failed one too). */
  telemetry(run: ContainerResult): Telemetry;
  /** Why the launch was stopped from the inside (over budget), or null. */
  stopped(run: ContainerResult): WorkResult | null;
  /** Ends what the launch opened (the gateway grant). Idempotent. */
  close(): Promise<void>;
}

export type AgentLauncher = (assignment: Assignment, context: WorkContext) => Promise<AgentLaunch>;

export function tailOf(text: string, max = 2000): string {
  const t = text.trim();
  return t.length > max ? `…${t.slice(-max)}` : t;
}
