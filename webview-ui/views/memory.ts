// The memory page: entries by scope, or what a search finds; the chosen entry with its content and its versions.
import { useState } from 'preact/hooks';
import { useData } from '../app/use-data';
import { Empty, ErrorNote, h, Loading, Section, type ViewProps, when } from '../app/ui';
import { parseList } from '../protocol/aura-data';
import { type MemoryEntryRow, memoryEntrySchema, memoryScopeNames, memoryVersionSchema } from '../protocol/memory-data';

export function Memory({ backend }: ViewProps) {
  const [scope, setScope] = useState<string>('project');
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  const [selected, setSelected] = useState<MemoryEntryRow | undefined>(undefined);
  const entries = useData(
    backend,
    async () =>
      searched
        ? parseList(await backend.call('memory_search', { query: searched, scopes: [scope], limit: 50 }), 'hits', memoryEntrySchema)
        : parseList(await backend.call('memory_list', { scope, limit: 500 }), 'entries', memoryEntrySchema),
    [scope, searched],
  );
  const list = entries.data ?? [];
  return h(
    'div',
    { class: 'split' },
    h(
      'aside',
      { class: 'side' },
      h('h2', { class: 'side-title' }, 'Memory'),
      h(
        'label',
        { class: 'reason' },
        'Scope ',
        h('select', { value: scope, 'aria-label': 'Scope', onChange: (e: Event) => (setScope((e.target as HTMLSelectElement).value), setSelected(undefined)) }, memoryScopeNames.map((s) => h('option', { key: s, value: s }, s))),
      ),
      h(
        'form',
        { role: 'search', onSubmit: (e: Event) => (e.preventDefault(), setSearched(query.trim()), setSelected(undefined)) },
        h('input', { type: 'search', value: query, placeholder: 'search words or meaning', 'aria-label': 'Search memory', onInput: (e: Event) => setQuery((e.target as HTMLInputElement).value) }),
      ),
      entries.error
        ? h(ErrorNote, { error: entries.error })
        : entries.data
          ? list.length
            ? h(
                'ul',
                { class: 'run-list', 'aria-label': 'Memory entries' },
                list.map((e) =>
                  h(
                    'li',
                    { key: e.uri },
                    h('button', { type: 'button', class: `run-item memory-item${selected?.uri === e.uri ? ' active' : ''}`, onClick: () => setSelected(e) }, h('span', null, e.key), h('small', null, ` ${e.namespace} · v${e.version}`)),
                  ),
                ),
              )
            : h(Empty, null, searched ? `Nothing in ${scope} memory matches "${searched}".` : `No ${scope} entries.`)
          : h(Loading, null),
    ),
    h('div', { class: 'main-col' }, selected ? h(EntryDetail, { key: selected.uri, entry: selected, backend }) : h(Empty, null, 'Choose an entry. Entries are edited in VS Code (the Memory view) or with memory_put.')),
  );
}

function EntryDetail({ entry, backend }: { entry: MemoryEntryRow; backend: ViewProps['backend'] }) {
  const where = { scope: entry.scope, namespace: entry.namespace, key: entry.key };
  const versions = useData(backend, async () => parseList(await backend.call('memory_history', where), 'versions', memoryVersionSchema), [entry.uri]);
  return h(
    'div',
    null,
    h(
      Section,
      { title: entry.uri },
      h('p', { class: 'meta' }, `v${entry.version} by ${entry.author}, ${when(entry.writtenAt)}${entry.expiresAt ? ` · expires ${when(entry.expiresAt)}` : ''}${entry.tags.length ? ` · ${entry.tags.join(', ')}` : ''}`),
      h('pre', { class: 'memory-content' }, entry.content),
    ),
    h(
      Section,
      { title: 'History' },
      versions.error
        ? h(ErrorNote, { error: versions.error })
        : versions.data
          ? h(
              'table',
              { 'aria-label': 'Versions' },
              h('thead', null, h('tr', null, h('th', null, 'version'), h('th', null, 'author'), h('th', null, 'written'), h('th', null, 'run'))),
              h('tbody', null, versions.data.map((v) => h('tr', { key: v.version }, h('td', null, `v${v.version}${v.deleted ? ' (deleted)' : ''}`), h('td', null, v.author), h('td', null, when(v.writtenAt)), h('td', null, v.runId ?? '')))),
            )
          : h(Loading, null),
    ),
  );
}
