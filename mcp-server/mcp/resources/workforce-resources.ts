// aura://employees: the workforce with status and tier; changes with every employee event (system stream).
import { SYSTEM_STREAM } from '../../../core/events/event-log';
import { employeeView } from '../tools/workforce-tools';
import { type ResourceDefinition, templateMatcher } from './resource-definition';

export const employeesResource: ResourceDefinition = {
  template: 'aura://employees',
  name: 'employees',
  title: 'Employees',
  description: 'Every employee with provider, model, skills, status and tier.',
  match: templateMatcher('aura://employees'),
  async read(_vars, services, principal) {
    return { employees: (await services.employees.list({ workspaceId: principal.workspaceId })).map(employeeView) };
  },
  async changedBy() {
    return (stream) => stream === SYSTEM_STREAM;
  },
};
