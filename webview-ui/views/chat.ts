// The run's group chat: who said what (the Director, the Manager, employees, the Auditor), oldest first, with links to
// the task and its evidence; the employees' questions waiting for the Director, answered here; and a box to post.
// Live: it reloads when the run's chat resource changes.
import { useState } from 'preact/hooks';
import { useData, useSubscription } from '../app/use-data';
import { Button, Empty, ErrorNote, h, Loading, Section, type ViewProps, when } from '../app/ui';
import { chatEntrySchema, type ChatEntryRow, chatQuestionSchema, type ChatQuestionRow, speakerLabel } from '../protocol/chat-data';
import { parseList } from '../protocol/aura-data';

const SHOWN = 200;

function Composer({ label, placeholder, send, submit }: { label: string; placeholder: string; send: (text: string) => Promise<unknown>; submit: string }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const go = () => {
    setBusy(true);
    send(text.trim()).then(
      () => (setBusy(false), setText(''), setError(undefined)),
      (e: Error) => (setBusy(false), setError(e.message)),
    );
  };
  return h(
    'div',
    { class: 'chat-compose' },
    h('label', null, label, h('textarea', { value: text, rows: 2, placeholder, 'aria-label': label, onInput: (e: Event) => setText((e.target as HTMLTextAreaElement).value) })),
    h(Button, { kind: 'primary', onClick: go, disabled: busy || !text.trim() }, submit),
    error && h(ErrorNote, { error }),
  );
}

function Entry({ e, props }: { e: ChatEntryRow; props: ViewProps }) {
  const { go, route } = props;
  const task = (ev: Event) => (ev.preventDefault(), go({ view: 'task', runId: route.runId, taskId: e.taskId! }));
  return h(
    'li',
    { class: `chat-entry chat-${e.from.role} chat-kind-${e.kind}`, 'data-seq': e.seq },
    h('div', { class: 'chat-head' }, h('strong', null, speakerLabel(e.from)), e.to && h('span', { class: 'muted' }, `→ ${speakerLabel(e.to)}`), h('span', { class: 'chat-kind' }, e.kind), h('time', null, when(e.at))),
    h('p', { class: 'chat-text' }, e.text),
    (e.taskId || e.evidenceHash) &&
      h(
        'div',
        { class: 'chat-links' },
        e.taskId && h('a', { href: '#', onClick: task }, `task ${e.taskId}`),
        e.evidenceHash && h('a', { href: '#', onClick: task, title: `evidence ${e.evidenceHash}` }, 'evidence'),
      ),
  );
}

function OpenQuestion({ q, props, sent }: { q: ChatQuestionRow; props: ViewProps; sent: (p: Promise<unknown>) => Promise<unknown> }) {
  const runId = props.route.runId!;
  return h(
    'article',
    { class: 'chat-question', 'data-question': q.id },
    h('p', null, h('strong', null, `Employee ${q.employeeId}`), ' asks about ', h('a', { href: '#', onClick: (ev: Event) => (ev.preventDefault(), props.go({ view: 'task', runId, taskId: q.taskId })) }, `task ${q.taskId}`), h('span', { class: 'muted' }, ` · ${when(q.askedAt)}`)),
    h('blockquote', null, q.question),
    h(Composer, { label: 'Your answer', placeholder: 'The employee reads it as your answer', submit: 'Answer', send: (text) => sent(props.backend.call('post_message', { runId, text, replyTo: q.id })) }),
  );
}

export function Chat(props: ViewProps) {
  const { backend, route } = props;
  const runId = route.runId;
  useSubscription(backend, runId ? [`aura://runs/${runId}/chat`] : []);
  const chat = useData(
    backend,
    async () => {
      if (!runId) return undefined;
      const raw = (await backend.call('get_chat', { runId, limit: SHOWN })) as Record<string, unknown>;
      return { entries: parseList(raw, 'entries', chatEntrySchema), open: parseList(raw, 'openQuestions', chatQuestionSchema) };
    },
    [runId],
    (u) => u === `aura://runs/${runId}/chat`,
  );
  if (!runId) return h(Section, { title: 'Chat' }, h(Empty, null, 'Pick a run on the Runs page to see its chat.'));
  const data = chat.data;
  const can = (tool: string) => backend.tools().has(tool);
  // The resource's update reloads too; reloading at once shows the poster's own message without waiting for it.
  const sent = (p: Promise<unknown>) => p.then((v) => (chat.reload(), v));
  return h(
    'div',
    { class: 'chat-view' },
    data && data.open.length > 0 && h(Section, { title: `Waiting for you (${data.open.length})` }, data.open.map((q) => h(OpenQuestion, { key: q.id, q, props, sent }))),
    h(
      Section,
      { title: `Chat of run ${runId}` },
      chat.error ? h(ErrorNote, { error: chat.error }) : !data ? h(Loading, null) : !data.entries.length ? h(Empty, null, 'Nothing said yet.') : null,
      data && data.entries.length >= SHOWN && h('p', { class: 'muted' }, `The latest ${SHOWN} entries (get_chat pages through all).`),
      data && data.entries.length > 0 && h('ol', { class: 'chat', 'aria-label': 'Chat', 'aria-live': 'polite' }, data.entries.map((e) => h(Entry, { key: e.seq, e, props }))),
      can('post_message') && h(Composer, { label: 'Message', placeholder: 'Say something to the Manager and the team', submit: 'Post', send: (text) => sent(backend.call('post_message', { runId, text })) }),
    ),
  );
}
