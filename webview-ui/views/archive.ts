// The archive: finished runs (succeeded, failed, cancelled), each opening read-only with its plan, tasks and timeline.
import { isFinished, parseList, runSchema } from '../protocol/aura-data';
import { useData } from '../app/use-data';
import { ErrorNote, h, Loading, type ViewProps } from '../app/ui';
import { RunDetail, RunList } from './overview';

export function Archive(props: ViewProps) {
  const { backend, route, go } = props;
  const runs = useData(backend, async () => parseList(await backend.call('list_runs', {}), 'runs', runSchema).filter((r) => isFinished(r.status)), [], (u) => u.startsWith('aura://runs/'));
  const list = runs.data ?? [];
  const selected = route.runId && list.some((r) => r.id === route.runId) ? route.runId : list[0]?.id;
  return h(
    'div',
    { class: 'split' },
    h('aside', { class: 'side' }, h('h2', { class: 'side-title' }, 'Finished runs'), runs.error ? h(ErrorNote, { error: runs.error }) : runs.data ? h(RunList, { runs: list, selected, onSelect: (id) => go({ view: 'archive', runId: id }) }) : h(Loading, null)),
    h('div', { class: 'main-col' }, selected ? h(RunDetail, { key: selected, runId: selected, props }) : null),
  );
}
