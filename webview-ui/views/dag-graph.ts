// The plan DAG as an SVG graph: one box per task coloured by state, keyboard-focusable, with a live-updating layout.
import type { EmployeeNames } from '../app/use-employee-names';
import { useEffect, useState } from 'preact/hooks';
import { stateGroup, type Task } from '../protocol/aura-data';
import { h } from '../app/ui';
import { type DagLayout, layoutDag, taskKey } from './dag-layout';

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Whether the dashboard is narrower than a tablet (the graph then runs top to bottom). */
function useNarrow(): boolean {
  const query = '(max-width: 640px)';
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const on = () => setNarrow(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return narrow;
}

export function DagGraph({ tasks, onOpen, nameOf = (id) => id ?? undefined }: { tasks: Task[]; onOpen: (task: Task) => void; nameOf?: EmployeeNames }) {
  const [layout, setLayout] = useState<DagLayout | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  // The shape only changes when tasks or edges change; a status change only recolours.
  const shape = tasks.map((t) => `${taskKey(t)}<${t.dependsOn.join(',')}`).join(';');
  const narrow = useNarrow();
  useEffect(() => {
    let live = true;
    layoutDag(tasks, narrow ? 'DOWN' : 'RIGHT').then(
      (l) => live && setLayout(l),
      (e: unknown) => live && setError(String(e)),
    );
    return () => void (live = false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by shape
  }, [shape, narrow]);
  if (error) return h('p', { class: 'error' }, `Could not lay out the plan: ${error}`);
  if (!layout) return h('p', { class: 'loading' }, 'Laying out the plan…');
  const current = new Map(tasks.map((t) => [taskKey(t), t]));
  return h(
    'div',
    { class: 'dag', role: 'group', 'aria-label': `Plan graph, ${tasks.length} tasks` },
    h(
      'svg',
      { viewBox: `0 0 ${layout.width} ${layout.height}`, width: layout.width, height: layout.height, class: 'dag-svg', 'data-testid': 'dag' },
      h('defs', null, h('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, h('path', { d: 'M0,0 L10,5 L0,10 z', class: 'dag-arrow' }))),
      layout.edges.map((e) =>
        h('polyline', { key: e.id, class: `dag-edge state-${stateGroup(current.get(e.from)?.status ?? '')}`, points: e.points.map((p) => `${p.x},${p.y}`).join(' '), 'marker-end': 'url(#arrow)' }),
      ),
      layout.nodes.map((n) => {
        const task = current.get(n.id) ?? n.task;
        const group = stateGroup(task.status);
        const open = () => onOpen(task);
        return h(
          'g',
          {
            key: n.id,
            class: `dag-node state-${group}`,
            transform: `translate(${n.x},${n.y})`,
            // SVG attributes keep their case: only the lowercase name makes the node focusable.
            tabindex: 0,
            role: 'button',
            'aria-label': `${task.title}: ${task.status}`,
            'data-task': n.id,
            onClick: open,
            onKeyDown: (ev: KeyboardEvent) => (ev.key === 'Enter' || ev.key === ' ') && (ev.preventDefault(), open()),
          },
          h('title', null, `${task.title} (${task.status}${task.blockedBy.length ? `, blocked by ${task.blockedBy.join(', ')}` : ''})`),
          h('rect', { width: n.width, height: n.height, rx: 6 }),
          h('text', { x: 10, y: 19, class: 'dag-title' }, clip(task.title, 24)),
          h('text', { x: 10, y: 36, class: 'dag-sub' }, clip(`${task.status.replace(/_/g, ' ')}${task.employeeId ? ` · ${nameOf(task.employeeId)}` : ''}`, 28)),
        );
      }),
    ),
  );
}
