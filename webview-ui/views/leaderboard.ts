// The leaderboard: employees ranked by score, with tier and status, and a chart of their scores over time.
import { type EmployeeRow, employeeSchema, eventSchema, parseList, type Score, scoreSchema } from '../protocol/aura-data';
import { useData, useSubscription } from '../app/use-data';
import { Badge, Empty, ErrorNote, h, Loading, Section, type ViewProps } from '../app/ui';
import { ScoreChart } from './score-chart';

/**
 * Scores over time: the history the server gives, else the scores recorded at each tier change
 * (EmployeeTierChanged events) followed by the current score.
 */
async function withHistory(backend: ViewProps['backend'], scores: Score[]): Promise<Score[]> {
  if (!scores.length || scores.some((s) => s.history.length) || !backend.tools().has('query_events')) return scores;
  const events = parseList(await backend.call('query_events', { types: ['EmployeeTierChanged'], limit: 500 }), 'events', eventSchema);
  const now = new Date().toISOString();
  return scores.map((s) => {
    const changes = events
      .filter((e) => (e.payload as { employeeId?: string } | undefined)?.employeeId === s.employeeId && e.occurredAt)
      .map((e) => ({ at: e.occurredAt!, score: Number((e.payload as { score?: number }).score ?? 0) }));
    return { ...s, history: [...changes, { at: now, score: s.score }] };
  });
}

export function Leaderboard({ backend }: ViewProps) {
  useSubscription(backend, ['aura://employees']);
  const data = useData(
    backend,
    async () => {
      const employees = parseList(await backend.call('list_employees', {}), 'employees', employeeSchema);
      const scores = backend.tools().has('get_scores') ? parseList(await backend.call('get_scores', {}), 'leaderboard', scoreSchema) : [];
      return { employees, scores: await withHistory(backend, scores) };
    },
    [],
    (u) => u.startsWith('aura://employees') || u.startsWith('aura://runs/'),
  );
  if (data.error) return h(ErrorNote, { error: data.error });
  if (!data.data) return h(Loading, null);
  const { employees, scores } = data.data;
  const byId = new Map<string, EmployeeRow>(employees.map((e) => [e.id, e]));
  const ranked: Array<{ e: EmployeeRow | undefined; s: Score | undefined; id: string }> = scores.length
    ? [...scores].sort((a, b) => b.score - a.score).map((s) => ({ id: s.employeeId, s, e: byId.get(s.employeeId) }))
    : employees.map((e) => ({ id: e.id, e, s: undefined }));
  return h(
    'div',
    null,
    h(
      Section,
      { title: 'Leaderboard' },
      ranked.length === 0
        ? h(Empty, null, 'No employees yet. Hire one from the Employees view.')
        : h(
            'table',
            { class: 'table' },
            h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, 'Employee'), h('th', null, 'Model'), h('th', null, 'Tier'), h('th', null, 'Status'), h('th', { class: 'num' }, 'Attempts'), h('th', { class: 'num' }, 'Score'))),
            h(
              'tbody',
              null,
              ranked.map((r, i) =>
                h(
                  'tr',
                  { key: r.id },
                  h('td', null, String(i + 1)),
                  h('td', null, r.e?.name ?? r.s?.name ?? r.id),
                  h('td', { class: 'muted' }, r.e ? `${r.e.provider ?? ''} ${r.e.model ?? ''}` : ''),
                  h('td', null, r.s?.tier ?? r.e?.tier ?? '—'),
                  h('td', null, r.e ? h(Badge, { status: r.e.status }) : '—'),
                  h('td', { class: 'num' }, r.s?.attempts != null ? String(r.s.attempts) : '—'),
                  h('td', { class: 'num' }, r.s ? r.s.score.toFixed(1) : '—'),
                ),
              ),
            ),
          ),
    ),
    h(Section, { title: 'Scores over time' }, scores.some((s) => s.history.length > 1) ? h(ScoreChart, { scores }) : h(Empty, null, 'The chart draws each score at its tier changes (probation, junior, senior…); no employee has changed tier yet.')),
  );
}
