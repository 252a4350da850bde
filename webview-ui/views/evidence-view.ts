// One evidence bundle drawn for a person: an attempt's result, verdict, verification layers, commands with output, diff, cost.
import { h, when } from '../app/ui';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => !!obj(x)) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function DiffBlock({ text }: { text: string }) {
  return h(
    'pre',
    { class: 'diff', tabIndex: 0, 'aria-label': 'Diff' },
    text.split('\n').map((line, i) => h('span', { key: i, class: line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : '' }, `${line}\n`)),
  );
}

function Commands({ commands, title = 'Commands' }: { commands: Json[]; title?: string }) {
  if (!commands.length) return null;
  return h(
    'div',
    { class: 'ev-commands' },
    h('h4', null, title),
    commands.map((c, i) =>
      h(
        'details',
        { key: i, class: 'evidence' },
        h('summary', null, h('code', { class: 'cmd' }, `$ ${str(c.command) ?? str(c.kind) ?? ''}`), c.exitCode != null && h('span', { class: Number(c.exitCode) === 0 ? 'ok' : 'bad' }, ` exit ${String(c.exitCode)}`), c.durationMs != null && h('span', { class: 'muted' }, ` ${String(c.durationMs)} ms`)),
        h('pre', { class: 'log', tabIndex: 0 }, [str(c.stdout), str(c.stderr)].filter(Boolean).join('\n') || str(c.reason) || '(no output)'),
      ),
    ),
  );
}

function Verification({ rows }: { rows: Json[] }) {
  if (!rows.length) return null;
  return h(
    'div',
    null,
    h('h4', null, 'Verification'),
    h('ul', { class: 'checks' }, rows.map((r, i) => h('li', { key: i, class: r.passed ? 'ok' : 'bad' }, `${r.passed ? '✓' : '✗'} ${str(r.layer) ?? 'check'}${r.score != null ? ` (score ${String(r.score)})` : ''}${str(r.reason) ? ` — ${str(r.reason)}` : ''}`))),
  );
}

function ModelCalls({ calls }: { calls: Json[] }) {
  if (!calls.length) return null;
  const total = calls.reduce((s, c) => s + Number(c.costUsd ?? 0), 0);
  return h(
    'div',
    { class: 'ev-calls' },
    h('h4', null, `Model calls (${calls.length}, $${total.toFixed(4)})`),
    h(
      'table',
      { class: 'table' },
      h('thead', null, h('tr', null, h('th', null, 'Model'), h('th', { class: 'num' }, 'Tokens in'), h('th', { class: 'num' }, 'Tokens out'), h('th', { class: 'num' }, 'Cost'))),
      h(
        'tbody',
        null,
        calls.map((c, i) => h('tr', { key: i }, h('td', null, str(c.model) ?? '—'), h('td', { class: 'num' }, String(c.tokensIn ?? 0)), h('td', { class: 'num' }, String(c.tokensOut ?? 0)), h('td', { class: 'num' }, `$${Number(c.costUsd ?? 0).toFixed(4)}`))),
      ),
    ),
  );
}

/** Finds a unified diff anywhere near the top of a bundle (result output, a diff field). */
function findDiff(content: Json): string | undefined {
  const result = obj(content.result);
  const output = obj(result?.output);
  return str(content.diff) ?? str(result?.diff) ?? str(output?.diff);
}

export function EvidenceView({ kind, content, createdAt, attempt }: { kind: string; content: unknown; createdAt?: string; attempt?: number | null }) {
  const c = obj(content) ?? {};
  const result = obj(c.result);
  const verdict = obj(c.verdict);
  const cost = obj(c.cost);
  const diff = findDiff(c);
  const known = kind === 'attempt' || result || c.commands || c.verification;
  return h(
    'details',
    { class: 'evidence', open: true },
    h('summary', null, h('strong', null, kind), attempt != null ? ` · attempt ${attempt}` : '', ' ', h('span', { class: 'muted' }, when(createdAt))),
    known
      ? h(
          'div',
          null,
          result && h('p', null, h('strong', null, `Result (${str(result.status) ?? '?'}): `), str(result.summary) ?? ''),
          str(c.error) && h('p', { class: 'bad' }, str(c.error)),
          verdict && h('p', { class: verdict.accepted || verdict.passed ? 'ok' : 'bad' }, `Verdict: ${str(verdict.outcome) ?? (verdict.accepted || verdict.passed ? 'accepted' : 'rejected')}${str(verdict.reason) ? ` — ${str(verdict.reason)}` : ''}`),
          h(Verification, { rows: arr(c.verification) }),
          diff && h('div', null, h('h4', null, 'Diff'), h(DiffBlock, { text: diff })),
          h(Commands, { commands: arr(c.commands), title: 'Runlog' }),
          h(Commands, { commands: arr(c.acceptance), title: 'Acceptance (run by the Auditor in fresh containers)' }),
          h(ModelCalls, { calls: arr(c.modelCalls) }),
          cost && h('p', { class: 'muted' }, `cost $${Number(cost.usd ?? 0).toFixed(4)} · ${String(cost.tokensIn ?? 0)} tokens in, ${String(cost.tokensOut ?? 0)} out${str(cost.model) ? ` · ${str(cost.model)}` : ''}`),
        )
      : h('pre', { class: 'log', tabIndex: 0 }, JSON.stringify(content, null, 2)),
  );
}
