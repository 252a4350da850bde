// The Manager's view of its workforce: employees that may receive work (refreshed from the registry), the
// worker built for each, and which of them can do a given task (skills, kinds).
import { toAuraError } from '../domain/errors';
import type { Clock } from '../domain/clock';
import type { Logger } from '../observability/logger';
import type { Employee } from '../workforce/employee';
import type { EmployeeRegistry } from '../workforce/employee-registry';
import type { BaseModelWorker, WorkerFactory } from '../workforce/worker';
import type { PlanTask } from './plan-schema';

export interface EmployeePool {
  /** Re-reads the registry when the last read is older than the refresh interval (or when forced). */
  refresh(force?: boolean): Promise<void>;
  /** Changes whenever the set of employees or their profiles changes. */
  version(): number;
  /** Employees that can do this task now (status, skills, kinds), in registry order. */
  eligible(task: PlanTask): Employee[];
  /** The worker of an employee (built once per employee and profile). */
  worker(employee: Employee): BaseModelWorker;
  get(employeeId: string): Employee | undefined;
}

export function createEmployeePool(deps: { registry: EmployeeRegistry; workers: WorkerFactory; clock: Clock; logger: Logger; refreshMs: number }): EmployeePool {
  let employees: Employee[] = [];
  let byId = new Map<string, Employee>();
  let readAt = -Infinity;
  let version = 0;
  let signature = '';
  const workers = new Map<string, { profile: string; worker: BaseModelWorker | null }>();

  const signatures = new Map<string, string>();
  const workerOf = (employee: Employee): BaseModelWorker | null => {
    const profile = signatures.get(employee.id) ?? JSON.stringify(employee.profile);
    const cached = workers.get(employee.id);
    if (cached && cached.profile === profile) return cached.worker;
    let worker: BaseModelWorker | null = null;
    try {
      worker = deps.workers(employee);
    } catch (error) {
      // No adapter for this employee (yet): it simply gets no work; said once per profile.
      deps.logger.warn({ employeeId: employee.id, provider: employee.profile.provider, err: toAuraError(error).message }, 'no worker for this employee; it receives no work');
    }
    workers.set(employee.id, { profile, worker });
    return worker;
  };

  return {
    async refresh(force = false) {
      const now = deps.clock.now().getTime();
      if (!force && now - readAt < deps.refreshMs) return;
      employees = await deps.registry.list({ status: ['hired', 'probation', 'active'] });
      readAt = now;
      byId = new Map(employees.map((e) => [e.id, e]));
      signatures.clear();
      for (const e of employees) signatures.set(e.id, JSON.stringify(e.profile));
      const next = employees.map((e) => `${e.id}:${e.status}:${JSON.stringify(e.profile)}`).join('|');
      if (next !== signature) {
        signature = next;
        version += 1;
      }
    },
    version: () => version,
    eligible(task) {
      return employees.filter((employee) => {
        if (!task.skills.every((skill) => employee.profile.skills.includes(skill))) return false;
        const worker = workerOf(employee);
        return worker !== null && worker.capabilities.kinds.includes(task.kind);
      });
    },
    worker(employee) {
      const worker = workerOf(employee);
      if (!worker) throw toAuraError(new Error(`No worker for employee ${employee.id}.`));
      return worker;
    },
    get: (id) => byId.get(id),
  };
}
