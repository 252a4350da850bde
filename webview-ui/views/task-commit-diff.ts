// A task's commit as a text diff: what its attempt changed, or how the run branch now differs from it.
import { useState } from 'preact/hooks';
import type { Backend } from '../app/backend';
import { useData } from '../app/use-data';
import { Button, Empty, h, Loading, Section } from '../app/ui';
import { parseOne, taskDiffSchema } from '../protocol/aura-data';
import { DiffBlock } from './evidence-view';

const choices = [
  { against: 'base', label: 'What it changed' },
  { against: 'run', label: 'Against the run branch now' },
] as const;

export function TaskCommitDiff({ backend, taskId, attempt }: { backend: Backend; taskId: string; attempt: number }) {
  const [against, setAgainst] = useState<'base' | 'run'>('base');
  const diff = useData(backend, async () => parseOne(await backend.call('get_task_diff', { taskId, against }), 'diff', taskDiffSchema), [taskId, attempt, against]);
  const d = diff.data;
  return h(
    Section,
    {
      title: `Commit diff${d ? ` · attempt ${d.attempt}` : ''}`,
      actions: choices.map((c) => h(Button, { key: c.against, kind: against === c.against ? 'primary' : 'secondary', onClick: () => setAgainst(c.against) }, c.label)),
    },
    diff.error
      ? h(Empty, null, diff.error)
      : !d
        ? h(Loading, null)
        : [
            h('p', { key: 'range', class: 'muted' }, h('code', null, `${d.from.slice(0, 10)}..${d.to.slice(0, 10)}`), d.truncated ? ' · cut at 1 MB' : ''),
            d.diff ? h(DiffBlock, { key: 'diff', text: d.diff }) : h(Empty, { key: 'none' }, against === 'base' ? 'The attempt changed no files.' : 'The run branch holds exactly this commit’s files.'),
          ],
  );
}
