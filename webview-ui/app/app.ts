// The dashboard shell: the page tabs, the connection state, and the current page.
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ConnectionState, DashboardView, Route } from '../protocol/messages';
import { Approvals } from '../views/approvals';
import { Archive } from '../views/archive';
import { Chat } from '../views/chat';
import { Costs } from '../views/costs';
import { Leaderboard } from '../views/leaderboard';
import { Memory } from '../views/memory';
import { Overview } from '../views/overview';
import { PlanVersions } from '../views/plan-versions';
import { TaskDetail } from '../views/task-detail';
import { Timeline } from '../views/timeline';
import type { Backend } from './backend';
import { h, type ViewProps } from './ui';

const tabs: Array<{ view: DashboardView; label: string }> = [
  { view: 'overview', label: 'Runs' },
  { view: 'timeline', label: 'Timeline' },
  { view: 'plan', label: 'Plan' },
  { view: 'task', label: 'Task' },
  { view: 'chat', label: 'Chat' },
  { view: 'approvals', label: 'Approvals' },
  { view: 'leaderboard', label: 'Leaderboard' },
  { view: 'costs', label: 'Costs' },
  { view: 'archive', label: 'Archive' },
  { view: 'memory', label: 'Memory' },
];

const pages: Record<DashboardView, FunctionComponent<ViewProps>> = {
  overview: Overview,
  timeline: Timeline,
  plan: PlanVersions,
  task: TaskDetail,
  approvals: Approvals,
  leaderboard: Leaderboard,
  costs: Costs,
  archive: Archive,
  memory: Memory,
  chat: Chat,
};

export function App({ backend, initial }: { backend: Backend; initial: Route }) {
  const [route, setRoute] = useState<Route>(initial);
  const [connection, setConnection] = useState<ConnectionState>(backend.connection());
  useEffect(() => backend.onConnection(setConnection), [backend]);
  useEffect(() => backend.onNavigate(setRoute), [backend]);
  useEffect(() => backend.routed(route), [route]);
  const go = (next: Route) => setRoute(next);
  const Page = pages[route.view];
  return h(
    'div',
    { class: 'app' },
    h(
      'header',
      { class: 'topbar' },
      h('span', { class: 'brand' }, 'Aura Orchestra'),
      h(
        'nav',
        { class: 'tabs', 'aria-label': 'Dashboard pages' },
        tabs.map((t) =>
          h(
            'button',
            {
              key: t.view,
              type: 'button',
              class: `tab${route.view === t.view ? ' active' : ''}`,
              'aria-current': route.view === t.view ? 'page' : undefined,
              onClick: () => go({ view: t.view, ...(route.runId && t.view !== 'leaderboard' && t.view !== 'approvals' ? { runId: route.runId } : {}), ...(t.view === 'task' && route.taskId ? { taskId: route.taskId } : {}) }),
            },
            t.label,
          ),
        ),
      ),
      h('span', { class: `conn conn-${connection}`, role: 'status', 'aria-live': 'polite' }, connection),
    ),
    connection !== 'connected' && h('p', { class: 'banner', role: 'alert' }, connection === 'connecting' ? 'Connecting to the orchestrator…' : `Not connected to the orchestrator (${connection}). Figures may be out of date.`),
    h('main', { class: 'page', id: 'main' }, h(Page, { key: `${route.view}:${route.runId ?? ''}:${route.taskId ?? ''}`, backend, route, go })),
  );
}
