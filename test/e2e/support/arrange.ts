// Puts a real `aura serve` in the state the UI suites show: a run in progress with a plan DAG, a pending approval, an employee.
import { approvalSchema, parseList, parseOne, runSchema, taskSchema } from '../../../webview-ui/protocol/aura-data';
import type { AuraServe } from './aura-serve';

export const checkoutPrd = `# Checkout flow

Shoppers pay for the cart in one page.

## Work

1. Design the cart data model (skills: typescript)
2. Build the cart API (after: 1)
3. Build the checkout page (after: 2)
4. Document the checkout API (kind: doc) (after: 2)
5. Approve the payment provider
6. Wire payments into checkout (after: 3, 5)
`;

export interface Arranged {
  runId: string;
  runTitle: string;
  taskTitle: string;
  taskCount: number;
  approvalTitle: string;
  employeeName: string;
  pendingApprovals(): Promise<number>;
}

export async function arrangeRunInProgress(aura: AuraServe): Promise<Arranged> {
  const client = await aura.client();
  // An employee for the leaderboard, suspended so that the Manager gives it no work while the suites look.
  const hired = (await client.call('hire_employee', { name: 'ada', provider: 'ollama', model: 'qwen2.5-coder:7b', skills: ['typescript'] })) as { employee: { id: string } };
  await client.call('suspend_employee', { employeeId: hired.employee.id, reason: 'kept idle while the console is shown' });
  const submitted = await client.call('submit_prd', { prd: checkoutPrd, title: 'Checkout flow' });
  const run = parseOne(submitted, 'run', runSchema);
  if (!run) throw new Error(`submit_prd answered ${JSON.stringify(submitted).slice(0, 300)}`);
  const tasks = parseList(await client.call('list_tasks', { runId: run.id }), 'tasks', taskSchema);
  const approvals = parseList(await client.call('list_approvals', { status: 'pending', runId: run.id }), 'approvals', approvalSchema);
  const approval = approvals[0];
  if (!approval) throw new Error('the plan asked for no approval');
  return {
    runId: run.id,
    runTitle: run.title,
    taskTitle: tasks[0]!.title,
    taskCount: tasks.length,
    approvalTitle: approval.title ?? approval.id,
    employeeName: 'ada',
    async pendingApprovals() {
      return parseList(await client.call('list_approvals', { status: 'pending', runId: run.id }), 'approvals', approvalSchema).length;
    },
  };
}
