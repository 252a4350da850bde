// The CLI-agent protocol (aura.cli-agent/1): the assignment a command line gets, and the result it must give back.
// docs/cli-agent-protocol.md describes it for people writing an agent; this module is the contract in code.
import { z } from 'zod';
import { describeIssues } from '../../domain/errors';
import type { Assignment } from '../worker';

export const CLI_AGENT_PROTOCOL = 'aura.cli-agent/1';
export const ASSIGNMENT_FILE = '/workspace/.aura/assignment.json';
export const RESULT_FILE = '/workspace/.aura/result.json';
export const MAX_RESULT_BYTES = 1024 * 1024;

export interface CliAgentAssignment {
  protocol: typeof CLI_AGENT_PROTOCOL;
  run: { id: string; title: string };
  task: {
    id: string;
    key: string;
    title: string;
    kind: string;
    description: string;
    acceptance: { criteria: string[]; commands: string[] };
    scope: string[];
    skills: string[];
  };
  attempt: number;
  idempotencyKey: string;
  dependencies: Array<{ taskId: string; title: string; summary: string }>;
  /** Entries the Manager chose from memory for this task (pinned versions). */
  memory: Array<{ uri: string; version: number; content: string }>;
  employee: { id: string; name: string; model: string };
  /** ISO time after which the attempt is killed. */
  deadline: string;
  workspace: '/workspace' | null;
  resultFile: string | null;
}

export function buildAssignment(a: Assignment, hasWorkspace: boolean): CliAgentAssignment {
  const t = a.task;
  return {
    protocol: CLI_AGENT_PROTOCOL,
    run: { id: a.runId, title: a.context.runTitle },
    task: { id: a.taskId, key: t.id, title: t.title, kind: t.kind, description: t.description, acceptance: { criteria: t.acceptance.criteria, commands: t.acceptance.commands }, scope: t.scope, skills: t.skills },
    attempt: a.attempt,
    idempotencyKey: a.idempotencyKey,
    dependencies: a.context.dependencies,
    memory: (a.context.memory ?? []).map((m) => ({ uri: m.uri, version: m.version, content: m.content })),
    employee: { id: a.employee.id, name: a.employee.profile.name, model: a.employee.profile.model },
    deadline: new Date(a.deadline).toISOString(),
    workspace: hasWorkspace ? '/workspace' : null,
    resultFile: hasWorkspace ? RESULT_FILE : null,
  };
}

export const cliAgentResultSchema = z.object({
  status: z.enum(['succeeded', 'failed']),
  summary: z.string().min(1).max(20_000),
  /** Whether the agent ran the acceptance commands and they passed (a claim: the Auditor checks it). */
  claimsChecksPassed: z.boolean().optional(),
  output: z.unknown().optional(),
  telemetry: z
    .object({
      tokensIn: z.number().int().nonnegative(),
      tokensOut: z.number().int().nonnegative(),
      costUsd: z.number().nonnegative(),
      model: z.string().min(1).max(200),
    })
    .partial()
    .optional(),
});

export type CliAgentResult = z.infer<typeof cliAgentResultSchema>;

export type ParsedResult = { ok: true; result: CliAgentResult; source: 'file' | 'stdout' } | { ok: false; problem: string };

/** The last non-empty line of standard output, where an agent without a workspace puts its result. */
function lastLine(stdout: string): string | undefined {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return lines[lines.length - 1];
}

/**
 * Reads the agent's result: the result file when it exists, else the last line of stdout.
 * Anything missing, cut off or of the wrong shape is a problem named in words (the attempt then fails).
 */
export function parseCliAgentResult(fileText: string | null, stdout: string): ParsedResult {
  const source = fileText !== null ? 'file' : 'stdout';
  const text = fileText ?? lastLine(stdout);
  const where = source === 'file' ? RESULT_FILE : 'the last line of stdout';
  if (text === undefined || text.trim() === '') return { ok: false, problem: `The agent gave no result (nothing in ${RESULT_FILE} and no output).` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const truncated = /Unexpected end|Unterminated/i.test((error as Error).message);
    return { ok: false, problem: `The result in ${where} is ${truncated ? 'truncated' : 'not valid'} JSON (${(error as Error).message}); it starts ${JSON.stringify(text.slice(0, 80))}.` };
  }
  const parsed = cliAgentResultSchema.safeParse(value);
  if (!parsed.success) return { ok: false, problem: `The result in ${where} does not follow ${CLI_AGENT_PROTOCOL}: ${describeIssues(parsed.error.issues)}` };
  return { ok: true, result: parsed.data, source };
}

/**
 * The assignment as a call record keys it: without the run's and tasks' ids, the idempotency key and the deadline,
 * which a replay of the same plan has different; what remains (task key, attempt, employee, the work) is what it shares.
 */
export function stableAssignment(assignment: CliAgentAssignment): unknown {
  const { run, task, idempotencyKey: _key, deadline: _deadline, dependencies, ...rest } = assignment;
  const { id: _taskId, ...taskRest } = task;
  return { ...rest, run: { title: run.title }, task: taskRest, dependencies: dependencies.map(({ title, summary }) => ({ title, summary })) };
}
