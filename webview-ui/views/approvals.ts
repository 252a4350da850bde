// Approvals: what waits for the Director, with a preview of what is asked and approve / reject with a reason.
import { useState } from 'preact/hooks';
import { type Approval, approvalSchema, parseList } from '../protocol/aura-data';
import { useData } from '../app/use-data';
import { Button, Empty, ErrorNote, h, Loading, Section, type ViewProps, when } from '../app/ui';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** What is being approved, in words: the task and its acceptance, the command held, the plan, the rule that asked. */
function Preview({ value }: { value: unknown }) {
  const p = obj(value);
  if (!p) return value === undefined || value === null ? null : h('pre', { class: 'log preview', tabIndex: 0 }, String(value));
  const task = obj(p.task);
  const rule = obj(p.policyRule);
  const plan = obj(p.plan);
  const acceptance = obj(task?.acceptance);
  const criteria = strs(acceptance?.criteria);
  const commands = strs(acceptance?.commands);
  const planTasks = Array.isArray(plan?.tasks) ? (plan!.tasks as Json[]) : [];
  return h(
    'div',
    { class: 'preview' },
    task &&
      h(
        'div',
        null,
        h('p', null, h('strong', null, `${String(task.kind ?? 'task')}: `), String(task.title ?? task.id ?? '')),
        typeof task.description === 'string' && task.description !== task.title && h('p', { class: 'description' }, task.description),
        (criteria.length > 0 || commands.length > 0) && h('ul', null, [...criteria.map((c, i) => h('li', { key: `c${i}` }, c)), ...commands.map((c, i) => h('li', { key: `m${i}` }, h('code', null, c)))]),
        strs(task.scope).length > 0 && h('p', { class: 'muted' }, `may change: ${strs(task.scope).join(', ')}`),
      ),
    typeof p.command === 'string' && h('div', null, h('p', null, h('strong', null, 'Command held for approval:')), h('pre', { class: 'log', tabIndex: 0 }, p.command)),
    planTasks.length > 0 && h('div', null, h('p', null, h('strong', null, `Plan: ${planTasks.length} tasks`)), h('ol', null, planTasks.slice(0, 50).map((t, i) => h('li', { key: i }, String(t.title ?? t.id ?? ''))))),
    rule && h('p', { class: 'muted' }, `Asked by policy rule "${String(rule.name)}": ${String(rule.reason ?? '')}`),
    p.proposal !== undefined && h('details', null, h('summary', null, 'Proposed change'), h('pre', { class: 'log', tabIndex: 0 }, JSON.stringify(p.proposal, null, 2))),
  );
}

function ApprovalCard({ a, props, after }: { a: Approval; props: ViewProps; after: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const decide = (tool: 'approve' | 'reject') => {
    setBusy(true);
    props.backend.call(tool, { approvalId: a.id, ...(reason ? (tool === 'approve' ? { note: reason } : { reason }) : {}) }).then(
      () => (setBusy(false), after()),
      (e: Error) => (setBusy(false), setError(e.message)),
    );
  };
  return h(
    'article',
    { class: 'approval', 'aria-label': a.title ?? a.id, 'data-approval': a.id },
    h('h3', null, a.title ?? `${a.kind ?? 'Approval'} ${a.id}`),
    h('p', { class: 'muted' }, [a.kind, a.runId ? `run ${a.runId}` : null, a.taskId ? `task ${a.taskId}` : null, when(a.createdAt)].filter(Boolean).join(' · ')),
    a.summary && h('p', null, a.summary),
    h(Preview, { value: a.preview }),
    h('label', { class: 'reason' }, 'Reason ', h('input', { value: reason, onInput: (e: Event) => setReason((e.target as HTMLInputElement).value), placeholder: 'a note; required to reject' })),
    h(
      'div',
      { class: 'controls' },
      h(Button, { kind: 'primary', onClick: () => decide('approve'), disabled: busy }, 'Approve'),
      h(Button, { kind: 'danger', onClick: () => decide('reject'), disabled: busy || !reason.trim(), label: 'Reject (needs a reason)' }, 'Reject'),
    ),
    error && h(ErrorNote, { error }),
  );
}

export function Approvals(props: ViewProps) {
  const { backend } = props;
  const data = useData(backend, async () => parseList(await backend.call('list_approvals', { status: 'pending' }), 'approvals', approvalSchema).filter((a) => !a.status || a.status === 'pending'), [], (u) => u.startsWith('aura://runs/'));
  return h(
    Section,
    { title: 'Approvals' },
    data.error ? h(ErrorNote, { error: data.error }) : !data.data ? h(Loading, null) : data.data.length ? data.data.map((a) => h(ApprovalCard, { key: a.id, a, props, after: data.reload })) : h(Empty, null, 'Nothing waits for your approval.'),
  );
}
