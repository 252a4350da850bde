// Workforce tools: list and hire employees, and move them through their lifecycle (suspend, reinstate, terminate).
import { z } from 'zod';
import { AuraError } from '../../../core/domain/errors';
import { type Employee, employeeProfileSchema, employeeStatuses } from '../../../core/workforce/employee';
import { DIRECTOR_ONLY, READERS } from '../../auth/roles';
import { id, reason, text } from '../input-limits';
import { type McpServices, requesterOf } from '../services';
import type { ToolContext } from '../tool-definition';
import type { EmployeeStatus } from '../../../core/workforce/employee';
import { ADDITIVE, DESTRUCTIVE, defineTool, IDEMPOTENT_CHANGE, READ_ONLY, type ToolDefinition } from '../tool-definition';

export const employeeSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  model: z.string(),
  /** A coding agent hired as it is (provider cli). */
  agent: z.string().optional(),
  skills: z.array(z.string()),
  status: z.enum(employeeStatuses),
  tier: z.string(),
  hiredAt: z.string(),
});

export function employeeView(e: Employee): z.infer<typeof employeeSchema> {
  return { id: e.id, name: e.profile.name, provider: e.profile.provider, model: e.profile.model, ...(e.profile.agent ? { agent: e.profile.agent } : {}), skills: e.profile.skills, status: e.status, tier: e.tier, hiredAt: e.hiredAt.toISOString() };
}

const one = z.object({ employee: employeeSchema });

export const listEmployees = defineTool({
  name: 'list_employees',
  title: 'List employees',
  group: 'workforce',
  description: 'List employees (models that do the work) with status and tier, optionally only some statuses.',
  roles: READERS,
  input: z.strictObject({ status: z.array(z.enum(employeeStatuses)).max(5).optional() }),
  output: z.object({ employees: z.array(employeeSchema) }),
  annotations: READ_ONLY,
  async run(args, { services, principal }) {
    return { employees: (await services.employees.list({ status: args.status, workspaceId: principal.workspaceId })).map(employeeView) };
  },
});

export const hireEmployee = defineTool({
  name: 'hire_employee',
  title: 'Hire employee',
  group: 'workforce',
  description: 'Hire an employee: a model (provider + model) with skills, or a coding agent (provider cli, agent claude-code|codex|gemini-cli|qwen-code). API keys are references (env:NAME or file:/path), never values.',
  roles: DIRECTOR_ONLY,
  input: employeeProfileSchema.strict(),
  output: one,
  annotations: ADDITIVE,
  async run(args, { services, actor, principal }) {
    return { employee: employeeView(await services.employees.hire(args, actor, principal.workspaceId)) };
  },
});

const lifecycleInput = z.strictObject({ employeeId: id('employee'), reason });

/** Through HR when governance is present (it resets the streaks HR judges by), else the registry itself. */
async function setStatus(ctx: ToolContext, employeeId: string, status: Exclude<EmployeeStatus, 'hired'>, why: string) {
  const { services, principal, actor } = ctx;
  if (services.governance) return services.governance.hr.setStatus(requesterOf(principal), employeeId, status, why);
  return services.employees.setStatus(employeeId, status, why, actor);
}

export const suspendEmployee = defineTool({
  name: 'suspend_employee',
  title: 'Suspend employee',
  group: 'workforce',
  description: 'Suspend an employee: its running work is stopped and reassigned; it gets no new work until reinstated.',
  roles: DIRECTOR_ONLY,
  input: lifecycleInput,
  output: one,
  annotations: IDEMPOTENT_CHANGE,
  async run(args, ctx) {
    return { employee: employeeView(await setStatus(ctx, args.employeeId, 'suspended', args.reason)) };
  },
});

export const reinstateEmployee = defineTool({
  name: 'reinstate_employee',
  title: 'Reinstate employee',
  group: 'workforce',
  description: 'Reinstate a suspended or probation employee to active.',
  roles: DIRECTOR_ONLY,
  input: lifecycleInput,
  output: one,
  annotations: IDEMPOTENT_CHANGE,
  async run(args, ctx) {
    const current = await ctx.services.employees.get(args.employeeId);
    if (current.status !== 'suspended' && current.status !== 'probation' && current.status !== 'active') {
      throw new AuraError('conflict', `Employee ${args.employeeId} is ${current.status}; only a suspended or probation employee can be reinstated.`);
    }
    return { employee: employeeView(await setStatus(ctx, args.employeeId, 'active', args.reason)) };
  },
});

export const terminateEmployee = defineTool({
  name: 'terminate_employee',
  title: 'Terminate employee',
  group: 'workforce',
  description: 'Terminate an employee for good: it never gets work again.',
  roles: DIRECTOR_ONLY,
  input: lifecycleInput,
  output: one,
  annotations: DESTRUCTIVE,
  async run(args, ctx) {
    return { employee: employeeView(await setStatus(ctx, args.employeeId, 'terminated', args.reason)) };
  },
});

const scoreSchema = z.object({
  position: z.number().int(),
  employeeId: z.string(),
  name: z.string(),
  provider: z.string(),
  model: z.string(),
  status: z.string(),
  tier: z.string(),
  kind: z.string(),
  score: z.number().describe('0-100'),
  attempts: z.number().int(),
  verified: z.number().int(),
  failed: z.number().int(),
  retries: z.number().int(),
  accuracy: z.number(),
  consistency: z.number(),
  timeliness: z.number(),
  scopeAdherence: z.number(),
  violationRate: z.number(),
  satisfaction: z.number(),
  meanCostUsd: z.number(),
  meanDurationMs: z.number(),
});

export function workforceTools(services: McpServices): ToolDefinition[] {
  const tools = [listEmployees, hireEmployee, suspendEmployee, reinstateEmployee, terminateEmployee];
  const accountant = services.governance?.accountant;
  if (!accountant) return tools;
  const getScores = defineTool({
    name: 'get_scores',
    title: 'Get scores',
    group: 'workforce',
    description: "The Accountant's leaderboard: employees best first, scored on their verified work (overall or for one task kind).",
    roles: READERS,
    input: z.strictObject({
      kind: text(40, 1).optional().describe('a task kind (code, doc, analysis, command, review); omitted means all'),
      includeUnrated: z.boolean().default(false).describe('also list employees with no assessed work yet'),
    }),
    output: z.object({ leaderboard: z.array(scoreSchema) }),
    annotations: READ_ONLY,
    async run(args, { principal }) {
      // The leaderboard of the token's workspace: its employees, numbered among themselves.
      const own = new Set((await services.employees.list({ workspaceId: principal.workspaceId })).map((e) => e.id));
      const entries = (await accountant.leaderboard({ kind: args.kind, includeUnrated: args.includeUnrated })).filter((e) => own.has(e.employeeId));
      return {
        leaderboard: entries.map((e, i) => ({
          position: i + 1, employeeId: e.employeeId, name: e.name, provider: e.provider, model: e.model, status: e.status, tier: e.tier, kind: e.kind,
          score: e.score, attempts: e.attempts, verified: e.verified, failed: e.failed, retries: e.retries, accuracy: e.accuracy, consistency: e.consistency,
          timeliness: e.timeliness, scopeAdherence: e.scopeAdherence, violationRate: e.violationRate, satisfaction: e.satisfaction, meanCostUsd: e.meanCostUsd, meanDurationMs: e.meanDurationMs,
        })),
      };
    },
  });
  return [...tools, getScores];
}
