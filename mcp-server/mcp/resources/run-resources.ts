// aura://runs (the latest runs, updated when one starts), aura://runs/{id}, aura://runs/{id}/events and
// aura://tasks/{id}: live views of a run, updated by its event stream.
import type { StoredEvent } from '../../../core/events/stored-event';
import type { Orchestrator } from '../../../core/orchestrator';
import { workspaceOf } from '../../../core/tenancy/workspace-filter';
import { eventView } from '../tools/audit-tools';
import { runDetailView, runSummaryView, taskDetailView } from '../tools/views';
import { type ResourceDefinition, templateMatcher } from './resource-definition';

/** How many of a run's latest events its events resource shows (query_events pages through all of them). */
export const RUN_EVENTS_SHOWN = 200;

export function runResources(orchestrator: Orchestrator | undefined): ResourceDefinition[] {
  if (!orchestrator) return [];
  const run: ResourceDefinition = {
    template: 'aura://runs/{id}',
    name: 'run',
    title: 'Run',
    description: 'A run as get_run returns it: status, plan DAG with task states, progress, cost, pending approvals.',
    match: templateMatcher('aura://runs/{id}'),
    owner: { id: 'run' },
    read: async ({ id }) => ({ run: runDetailView(await orchestrator.runs.get(id!)) }),
    async changedBy({ id }) {
      await orchestrator.runs.get(id!);
      return (stream) => stream === id;
    },
    async list(_services, principal) {
      return (await orchestrator.runs.list({ limit: 20, workspaceId: principal.workspaceId })).map((r) => ({ uri: `aura://runs/${r.id}`, name: r.id, title: r.title }));
    },
  };
  const runEvents: ResourceDefinition = {
    template: 'aura://runs/{id}/events',
    name: 'run-events',
    title: 'Run events',
    description: `The latest ${RUN_EVENTS_SHOWN} events of a run, oldest first (query_events pages through all).`,
    match: templateMatcher('aura://runs/{id}/events'),
    owner: { id: 'run' },
    async read({ id }, services) {
      await orchestrator.runs.get(id!);
      // The log reads forward only: page through the run's stream keeping the newest. A run writes about ten
      // events per task, so even a 500-task run is a handful of pages.
      let tail: StoredEvent[] = [];
      let afterId: number | undefined;
      let total = 0;
      for (;;) {
        const page = await services.core.events.query({ runId: id, afterId, limit: 1000 });
        total += page.length;
        tail = [...tail, ...page].slice(-RUN_EVENTS_SHOWN);
        if (page.length < 1000) break;
        afterId = page.at(-1)!.id;
      }
      return { runId: id, total, events: tail.map(eventView) };
    },
    async changedBy({ id }) {
      await orchestrator.runs.get(id!);
      return (stream) => stream === id;
    },
  };
  const task: ResourceDefinition = {
    template: 'aura://tasks/{id}',
    name: 'task',
    title: 'Task',
    description: 'A task as get_task returns it: spec, state, attempts, result, pending approval, evidence summary.',
    match: templateMatcher('aura://tasks/{id}'),
    owner: { id: 'task' },
    async read({ id }, services) {
      const t = await orchestrator.tasks.get(id!);
      const evidence = services.governance ? await services.governance.evidence.list({ runId: t.runId, taskId: t.id }) : [];
      return { task: taskDetailView(t, evidence) };
    },
    async changedBy({ id }) {
      const t = await orchestrator.tasks.get(id!);
      return (stream) => stream === t.runId;
    },
  };
  const runs: ResourceDefinition = {
    template: 'aura://runs',
    name: 'runs',
    title: 'Runs',
    description: 'The latest runs as list_runs returns them (20, newest first); updated when a run starts, whoever started it.',
    match: templateMatcher('aura://runs'),
    read: async (_vars, _services, principal) => ({ runs: (await orchestrator.runs.list({ limit: 20, workspaceId: principal.workspaceId })).map(runSummaryView) }),
    async changedBy(_vars, services, principal) {
      // A run's first event after the subscription tells of it: a new run (or one not seen since) of this workspace, once each.
      const seen = new Set<string>();
      return async (stream) => {
        if (!stream.startsWith('run_') || seen.has(stream)) return false;
        seen.add(stream);
        return (await workspaceOf(services.core.store, 'run', stream)) === principal.workspaceId;
      };
    },
  };
  return [runs, run, runEvents, task];
}
