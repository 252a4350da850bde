// Employees by id → name, for views that show who did a task (the server's list, refreshed when the workforce changes).
import { employeeSchema, parseList } from '../protocol/aura-data';
import type { Backend } from './backend';
import { useData } from './use-data';

export type EmployeeNames = (employeeId: string | null | undefined) => string | undefined;

export function useEmployeeNames(backend: Backend): EmployeeNames {
  const employees = useData(
    backend,
    async () => (backend.tools().has('list_employees') ? parseList(await backend.call('list_employees', {}), 'employees', employeeSchema) : []),
    [],
    (uri) => uri === 'aura://employees',
  );
  const byId = new Map((employees.data ?? []).map((e) => [e.id, e.name]));
  // Until the list is in (or for an employee it does not hold), the id stands for the name.
  return (id) => (id ? (byId.get(id) ?? id) : undefined);
}
