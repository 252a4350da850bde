// Employees: the profile a Director hires with, and the record the registry keeps.
import { z } from 'zod';
import { agentNames } from './agents/agent-names';

export const providers = ['ollama', 'openai', 'gemini', 'cli', 'in-process'] as const;
export type Provider = (typeof providers)[number];

export const employeeStatuses = ['hired', 'probation', 'active', 'suspended', 'terminated'] as const;
export type EmployeeStatus = (typeof employeeStatuses)[number];

/** Where a secret comes from: `env:NAME` (the server's environment) or `file:/abs/path`. Never the value. */
export const secretRefSchema = z
  .string()
  .regex(/^(env:[A-Z_][A-Z0-9_]*|file:\/.+)$/, 'expected env:VARIABLE_NAME or file:/absolute/path (a reference, never the key itself)');

export const employeeProfileSchema = z.object({
  name: z.string().min(1).max(100),
  provider: z.enum(providers),
  model: z.string().min(1).max(200),
  skills: z.array(z.string().min(1).max(64)).max(50).default([]),
  baseUrl: z.string().url().max(500).optional(),
  apiKeyRef: secretRefSchema.optional(),
  /** Container image the employee's tasks run in (default: the local worker image). */
  image: z.string().min(1).max(300).optional(),
  /** CLI agents: the command line run inside the container, speaking the aura.cli-agent/1 protocol. */
  command: z.array(z.string().min(1).max(1000)).min(1).max(50).optional(),
  /** CLI agents: a real coding agent run as it is (a preset in core/workforce/agents/), its model calls through the gateway. */
  agent: z.enum(agentNames).optional(),
  limits: z
    .object({
      memoryMb: z.number().int().min(32).max(65_536).default(1024),
      cpus: z.number().min(0.1).max(64).default(1),
      pids: z.number().int().min(16).max(4096).default(256),
      timeoutMs: z.number().int().min(1_000).max(24 * 3_600_000).default(15 * 60_000),
    })
    .default({ memoryMb: 1024, cpus: 1, pids: 256, timeoutMs: 15 * 60_000 }),
  /** USD per million tokens. */
  costTable: z.object({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) }).default({ inputPerMTok: 0, outputPerMTok: 0 }),
  /** Whether the container may reach the network (its model endpoint). Off by default. */
  egress: z.boolean().default(false),
  maxConcurrent: z.number().int().min(1).max(16).default(1),
});

export type EmployeeProfile = z.infer<typeof employeeProfileSchema>;

export interface Employee {
  id: string;
  profile: EmployeeProfile;
  status: EmployeeStatus;
  tier: string;
  hiredAt: Date;
  /** The team workspace it works for (core/tenancy): it is given tasks of that workspace's runs only. */
  workspaceId: string;
}

/** Whether the Manager may give this employee work. */
export function canReceiveWork(status: EmployeeStatus): boolean {
  return status === 'hired' || status === 'probation' || status === 'active';
}

/** What the schema cannot say about a profile's fields together; null when it is consistent. */
export function profileProblem(profile: EmployeeProfile): string | null {
  if (profile.agent && profile.provider !== 'cli') return `agent: "${profile.agent}" is a CLI agent; hire it with provider "cli" (not "${profile.provider}").`;
  if (profile.agent && profile.command) return `agent and command: give one, not both (the "${profile.agent}" preset knows its own command line).`;
  return null;
}
