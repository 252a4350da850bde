// A small world built through the tools themselves, and one valid call of every tool in it (the seeds of the fuzzer).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export interface World {
  employeeId: string;
}

export async function callOk<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name} failed: ${(result.content[0] as { text: string }).text}`);
  return result.structuredContent as T;
}

export async function buildWorld(client: Client, tag: string): Promise<World> {
  const hired = await callOk<{ employee: { id: string } }>(client, 'hire_employee', { name: `fuzz-${tag}-${Date.now()}`, provider: 'in-process', model: 'echo', skills: ['code'] });
  return { employeeId: hired.employee.id };
}

/** A valid call of each tool; a tool without one fails the fuzz suite (so a new tool cannot skip it). */
export function seeds(world: World): Record<string, Record<string, unknown>> {
  return {
    list_employees: { status: ['hired'] },
    hire_employee: { name: 'seed-hire', provider: 'in-process', model: 'echo' },
    suspend_employee: { employeeId: world.employeeId, reason: 'seed' },
    reinstate_employee: { employeeId: world.employeeId, reason: 'seed' },
    terminate_employee: { employeeId: world.employeeId, reason: 'seed' },
    query_events: { types: ['EmployeeHired'], limit: 5 },
    verify_audit: {},
  };
}
