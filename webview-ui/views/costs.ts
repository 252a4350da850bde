// Costs: what each run and each employee has cost, as tables with proportional bars.
import { formatUsd, parseList, runSchema, taskSchema } from '../protocol/aura-data';
import { useData } from '../app/use-data';
import { Empty, ErrorNote, h, Loading, Section, type ViewProps } from '../app/ui';

function Bars({ rows, label }: { rows: Array<{ key: string; name: string; cost: number }>; label: string }) {
  const max = Math.max(...rows.map((r) => r.cost), 0.0001);
  if (!rows.length) return h(Empty, null, 'Nothing has cost anything yet.');
  return h(
    'table',
    { class: 'table', 'aria-label': label },
    h('tbody', null, rows.map((r) => h('tr', { key: r.key }, h('td', null, r.name), h('td', { class: 'bar-cell' }, h('div', { class: 'bar', style: { width: `${(r.cost / max) * 100}%` } })), h('td', { class: 'num' }, formatUsd(r.cost))))),
  );
}

export function Costs({ backend, route }: ViewProps) {
  const data = useData(
    backend,
    async () => {
      const runs = parseList(await backend.call('list_runs', {}), 'runs', runSchema);
      const perEmployee = new Map<string, number>();
      // Employee cost is the sum of its tasks' cost over the runs shown (the server keeps the exact figures).
      const scope = route.runId ? runs.filter((r) => r.id === route.runId) : runs.slice(0, 20);
      for (const r of scope) {
        for (const t of parseList(await backend.call('list_tasks', { runId: r.id }), 'tasks', taskSchema)) {
          if (t.employeeId) perEmployee.set(t.employeeId, (perEmployee.get(t.employeeId) ?? 0) + Number(t.costUsd ?? 0));
        }
      }
      return { runs, perEmployee };
    },
    [route.runId],
    (u) => u.startsWith('aura://runs/'),
  );
  if (data.error) return h(ErrorNote, { error: data.error });
  if (!data.data) return h(Loading, null);
  const { runs, perEmployee } = data.data;
  const total = runs.reduce((n, r) => n + Number(r.costUsd ?? 0), 0);
  return h(
    'div',
    null,
    h(Section, { title: `Cost per run (total ${formatUsd(total)})` }, h(Bars, { label: 'Cost per run', rows: runs.map((r) => ({ key: r.id, name: r.title, cost: Number(r.costUsd ?? 0) })) })),
    h(Section, { title: 'Cost per employee' }, h(Bars, { label: 'Cost per employee', rows: [...perEmployee].sort((a, b) => b[1] - a[1]).map(([id, cost]) => ({ key: id, name: id, cost })) })),
  );
}
