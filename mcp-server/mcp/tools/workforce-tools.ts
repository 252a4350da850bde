// Workforce tools: list and hire employees, and move them through their lifecycle (suspend, reinstate, terminate).
import { z } from 'zod';
import { AuraError } from '../../../core/domain/errors';
import { type Employee, employeeProfileSchema, employeeStatuses } from '../../../core/workforce/employee';
import { DIRECTOR_ONLY, OPERATORS, READERS } from '../../auth/roles';
import { id, reason } from '../input-limits';
import type { McpServices } from '../services';
import { ADDITIVE, DESTRUCTIVE, defineTool, IDEMPOTENT_CHANGE, READ_ONLY, type ToolDefinition } from '../tool-definition';

export const employeeSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  model: z.string(),
  skills: z.array(z.string()),
  status: z.enum(employeeStatuses),
  tier: z.string(),
  hiredAt: z.string(),
});

export function employeeView(e: Employee): z.infer<typeof employeeSchema> {
  return { id: e.id, name: e.profile.name, provider: e.profile.provider, model: e.profile.model, skills: e.profile.skills, status: e.status, tier: e.tier, hiredAt: e.hiredAt.toISOString() };
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
  async run(args, { services }) {
    return { employees: (await services.employees.list({ status: args.status })).map(employeeView) };
  },
});

export const hireEmployee = defineTool({
  name: 'hire_employee',
  title: 'Hire employee',
  group: 'workforce',
  description: 'Hire an employee: a model (provider + model) with skills. API keys are references (env:NAME or file:/path), never values.',
  roles: DIRECTOR_ONLY,
  input: employeeProfileSchema.strict(),
  output: one,
  annotations: ADDITIVE,
  async run(args, { services, actor }) {
    return { employee: employeeView(await services.employees.hire(args, actor)) };
  },
});

const lifecycleInput = z.strictObject({ employeeId: id('employee'), reason });

export const suspendEmployee = defineTool({
  name: 'suspend_employee',
  title: 'Suspend employee',
  group: 'workforce',
  description: 'Suspend an employee: it gets no new work until reinstated.',
  roles: OPERATORS,
  input: lifecycleInput,
  output: one,
  annotations: IDEMPOTENT_CHANGE,
  async run(args, { services, actor }) {
    return { employee: employeeView(await services.employees.setStatus(args.employeeId, 'suspended', args.reason, actor)) };
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
  async run(args, { services, actor }) {
    const current = await services.employees.get(args.employeeId);
    if (current.status !== 'suspended' && current.status !== 'probation' && current.status !== 'active') {
      throw new AuraError('conflict', `Employee ${args.employeeId} is ${current.status}; only a suspended or probation employee can be reinstated.`);
    }
    return { employee: employeeView(await services.employees.setStatus(args.employeeId, 'active', args.reason, actor)) };
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
  async run(args, { services, actor }) {
    return { employee: employeeView(await services.employees.setStatus(args.employeeId, 'terminated', args.reason, actor)) };
  },
});

export function workforceTools(_services: McpServices): ToolDefinition[] {
  return [listEmployees, hireEmployee, suspendEmployee, reinstateEmployee, terminateEmployee];
}
