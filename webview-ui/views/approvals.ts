// Approvals: what waits for the Director, with a preview of what is asked and approve / reject with a reason.
import { useState } from 'preact/hooks';
import { type Approval, approvalSchema, parseList } from '../protocol/aura-data';
import { useData } from '../app/use-data';
import { Button, Empty, ErrorNote, h, Loading, Section, type ViewProps, when } from '../app/ui';

function Preview({ value }: { value: unknown }) {
  if (value === undefined || value === null) return null;
  return h('pre', { class: 'log preview', tabIndex: 0 }, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
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
