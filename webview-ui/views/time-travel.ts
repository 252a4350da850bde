// Time travel on the timeline: a slider (and the events' "state here" links) picks an event; the plan DAG, each
// task's state, the plan version, the cost and the approvals waiting are drawn as they stood right after it.
import { useEffect, useState } from 'preact/hooks';
import type { Backend } from '../app/backend';
import { useData } from '../app/use-data';
import { Badge, Empty, ErrorNote, h, Loading, Section, when } from '../app/ui';
import { formatUsd, parseOne, runStateSchema, type Task } from '../protocol/aura-data';
import { DagGraph } from './dag-graph';

export function TimeTravel({ backend, runId, atEvent, onPick, onOpen }: { backend: Backend; runId: string; atEvent: number | undefined; onPick: (seq: number) => void; onOpen: (task: Task) => void }) {
  const state = useData(backend, async () => parseOne(await backend.call('get_run_state', { runId, ...(atEvent ? { atEvent } : {}) }), 'state', runStateSchema), [runId, atEvent], (u) => atEvent === undefined && u.startsWith(`aura://runs/${runId}`));
  // The slider moves freely; the state is fetched when it is let go (or a key is released), not for every pixel.
  const [dragging, setDragging] = useState<number | undefined>(undefined);
  useEffect(() => setDragging(undefined), [atEvent]);
  if (state.error) return h(Section, { title: 'Run at an event' }, h(ErrorNote, { error: state.error }));
  if (!state.data) return h(Section, { title: 'Run at an event' }, h(Loading, null));
  const s = state.data;
  const seq = dragging ?? s.at.seq;
  const commit = (e: Event) => onPick(Number((e.target as HTMLInputElement).value));
  const tasks = s.tasks.filter((t) => t.inPlan);
  return h(
    Section,
    { title: `Run at event ${s.at.seq} of ${s.lastSeq}` },
    h(
      'div',
      { class: 'time-travel' },
      h('input', {
        type: 'range',
        min: 1,
        max: s.lastSeq,
        value: seq,
        'aria-label': 'Event',
        'data-testid': 'time-slider',
        onInput: (e: Event) => setDragging(Number((e.target as HTMLInputElement).value)),
        onChange: commit,
      }),
      h('span', { class: 'muted' }, `#${seq}`),
    ),
    h(
      'div',
      { class: 'run-summary', 'data-testid': 'time-state' },
      h(Badge, { status: s.status }),
      h('span', null, `after ${s.at.type}`),
      h('span', { class: 'muted' }, when(s.at.occurredAt)),
      h('span', null, `plan v${s.planVersion}`),
      h('span', null, `cost ${formatUsd(s.costUsd)}`),
      s.pendingApprovals.length > 0 && h('span', null, `${s.pendingApprovals.length} approval${s.pendingApprovals.length === 1 ? '' : 's'} waiting`),
    ),
    tasks.length ? h(DagGraph, { tasks, onOpen }) : h(Empty, null, 'No tasks queued yet at this event.'),
  );
}
