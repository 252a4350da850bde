// A ModelProvider that speaks through a hired employee's profile, found by name at each call: the Manager's
// planner (and chat) and the Auditor's reviewer are configured as employees, so keys stay behind apiKeyRef.
import { AuraError } from '../core/domain/errors';
import type { Employee } from '../core/workforce/employee';
import { canReceiveWork } from '../core/workforce/employee';
import type { EmployeeRegistry } from '../core/workforce/employee-registry';
import type { CompletionRequest, ModelProvider } from '../core/workforce/model-provider';
import { apiProviders, createModelProvider, type CreateModelProviderDeps } from './model-providers';

export interface EmployeeModelOptions {
  /** The employee's name, as hired. */
  name: string;
  /** What the model is for, named in errors ("planner", "reviewer"). */
  role: string;
  employees: Pick<EmployeeRegistry, 'list'>;
  deps?: CreateModelProviderDeps;
}

export function createEmployeeModel(options: EmployeeModelOptions): ModelProvider {
  const { name, role, employees, deps } = options;
  // One provider per profile version: a re-hire (new id) or a changed profile builds a new one.
  let cached: { employee: Employee; provider: ModelProvider } | undefined;
  const resolve = async (): Promise<ModelProvider> => {
    const employee = (await employees.list()).find((e) => e.profile.name === name);
    if (!employee) throw new AuraError('config', `The ${role} is the employee "${name}" (AURA_${role.toUpperCase()}_EMPLOYEE), but no employee has that name. Hire it, or unset the setting.`);
    if (!canReceiveWork(employee.status)) throw new AuraError('unavailable', `The ${role} "${name}" is ${employee.status}; it cannot be asked.`, { retryable: false });
    if (!(apiProviders as readonly string[]).includes(employee.profile.provider)) {
      throw new AuraError('config', `The ${role} "${name}" is a ${employee.profile.provider} employee; a ${role} must be an ollama, openai or gemini employee.`);
    }
    if (!cached || cached.employee.id !== employee.id || JSON.stringify(cached.employee.profile) !== JSON.stringify(employee.profile)) {
      cached = { employee, provider: createModelProvider(employee.profile, deps) };
    }
    return cached.provider;
  };
  return {
    provider: `employee:${name}`,
    model: name,
    async complete(request: CompletionRequest) {
      return (await resolve()).complete(request);
    },
  };
}
