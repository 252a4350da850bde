// Reads one PRD requirement (a list item or a heading's paragraph) into a task draft: key, title, kind, tags, references.
import { type TaskKind, taskKinds } from './plan-schema';

/** A reference to another task or section, as written ("`api`", "task 3", "the database schema"). */
export interface TaskReference {
  raw: string;
  /** Strict references (backticked keys, numbers) must resolve; loose ones (names) are dropped when they do not. */
  strict: boolean;
  form: 'key' | 'number' | 'name';
  value: string;
}

export interface ItemDraft {
  key: string | null;
  title: string;
  description: string;
  kind: TaskKind;
  criteria: string[];
  commands: string[];
  scope: string[];
  skills: string[];
  refs: TaskReference[];
  maxAttempts?: number;
  timeoutMs?: number;
  notes: string[];
}

const keyPrefixRe = /^(?:`([a-z0-9][a-z0-9._-]{0,63})`|\[([a-z0-9][a-z0-9._-]{0,63})\])\s*[:\-—–]?\s*/;
const tagRe = /\((kind|skills?|scope|attempts|timeout)\s*:\s*([^)]*)\)|\((depends on|after|requires)\s*:?\s*([^)]*)\)/gi;
const inlineDepRe = /\b(?:depends on|after|requires)\s+([^.;()]+)/gi;
const depLineRe = /^(?:depends on|after|requires)\s*:?\s*(.+)$/i;

/** Words at the start of a title that say what kind of task it is (first match wins; default code). */
const kindWords: Array<[TaskKind, RegExp]> = [
  ['approval', /^(approve|approval|sign[- ]?off|director (approves|sign))/i],
  ['review', /^(review|code review|audit)\b/i],
  ['doc', /^(document|write (the )?(docs?|documentation|readme|guide)|docs?\b|update (the )?(docs?|readme)|readme)/i],
  ['command', /^(run|deploy|migrate|execute|release|publish)\b/i],
  ['analysis', /^(analy[sz]e|investigate|research|evaluate|assess|benchmark|measure|compare|study)\b/i],
];

export function inferKind(title: string): TaskKind {
  for (const [kind, re] of kindWords) if (re.test(title.trim())) return kind;
  return 'code';
}

/** Splits "a, b and c" into references. */
export function parseReferences(text: string): TaskReference[] {
  const refs: TaskReference[] = [];
  const ticks = [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim());
  if (ticks.length) return ticks.map((value) => ({ raw: `\`${value}\``, strict: true, form: 'key' as const, value: value.toLowerCase() }));
  const bare = /^\s*#?\d{1,4}(\s*(,|and|&)\s*#?\d{1,4})*\s*$/i.test(text);
  const numbers = bare ? [...text.matchAll(/\d{1,4}/g)].map((m) => m[0]) : [...text.matchAll(/(?:\b(?:task|step|item|requirement)\s*#?|#)\s*(\d{1,4})\b/gi)].map((m) => m[1]!);
  if (numbers.length) return numbers.map((n) => ({ raw: `#${n}`, strict: true, form: 'number' as const, value: n }));
  for (const part of text.split(/,|;|\band\b|&/i)) {
    const value = normaliseName(part);
    if (value) refs.push({ raw: part.trim(), strict: false, form: 'name', value });
  }
  return refs;
}

/** Lowercase words only, without leading articles and trailing "is done"-style phrases. */
export function normaliseName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_"'“”‘’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^(the|a|an)\s+/, '')
    .replace(/\s+(section|sections|task|tasks|step|steps|part|work)?\s*(is|are|has been|have been)?\s*(done|finished|complete|completed|ready|merged|in place)?$/, '')
    .replace(/\s+(section|task|step)$/, '')
    .trim();
}

export function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return /^[a-z0-9]/.test(slug) ? slug : '';
}

/** Reads an item (its text, nested items and code) into a draft. */
export function readItem(text: string, children: readonly string[], code: readonly string[]): ItemDraft {
  const draft: ItemDraft = { key: null, title: '', description: '', kind: 'code', criteria: [], commands: [], scope: [], skills: [], refs: [], notes: [] };
  let body = text.trim();
  const key = keyPrefixRe.exec(body);
  if (key) {
    draft.key = (key[1] ?? key[2])!;
    body = body.slice(key[0].length);
  }
  let explicitKind: TaskKind | null = null;
  body = body.replace(tagRe, (_all, name?: string, value?: string, depName?: string, depValue?: string) => {
    applyTag(draft, (name ?? depName)!.toLowerCase(), (value ?? depValue)!.trim(), (k) => (explicitKind = k));
    return '';
  });
  for (const match of body.matchAll(inlineDepRe)) draft.refs.push(...parseReferences(match[1]!));
  body = body.replace(/\s{2,}/g, ' ').trim();
  const bold = /^\*\*(.+?)\*\*\s*[:\-—–.]?\s*/.exec(body);
  draft.title = shorten(bold ? bold[1]! : firstClause(body));
  draft.description = body;
  for (const child of children) readChild(draft, child.trim());
  for (const block of code) draft.description += `\n\n\`\`\`\n${block}\n\`\`\``;
  draft.kind = explicitKind ?? inferKind(draft.title);
  return draft;
}

function readChild(draft: ItemDraft, child: string): void {
  const command = /^(?:(?:run|check|command|verify with|test with)\s*:?\s*)?`([^`]+)`\s*$/i.exec(child);
  if (command) return void draft.commands.push(command[1]!.trim());
  const scope = /^scope\s*:\s*(.+)$/i.exec(child);
  if (scope) return void draft.scope.push(...splitList(scope[1]!));
  const skills = /^skills?\s*:\s*(.+)$/i.exec(child);
  if (skills) return void draft.skills.push(...splitList(skills[1]!).map((s) => s.toLowerCase()));
  const dep = depLineRe.exec(child);
  if (dep) return void draft.refs.push(...parseReferences(dep[1]!));
  const criterion = /^(?:acceptance|accept when|done when)\s*:\s*(.+)$/i.exec(child);
  draft.criteria.push((criterion ? criterion[1]! : child).trim());
}

function applyTag(draft: ItemDraft, name: string, value: string, setKind: (k: TaskKind) => void): void {
  if (name === 'kind') {
    const kind = value.toLowerCase() as TaskKind;
    if ((taskKinds as readonly string[]).includes(kind)) setKind(kind);
    else draft.notes.push(`unknown kind "${value}" ignored`);
  } else if (name === 'skill' || name === 'skills') draft.skills.push(...splitList(value).map((s) => s.toLowerCase()));
  else if (name === 'scope') draft.scope.push(...splitList(value));
  else if (name === 'attempts') {
    const n = Number.parseInt(value, 10);
    if (n >= 1 && n <= 10) draft.maxAttempts = n;
    else draft.notes.push(`attempts "${value}" ignored (1-10)`);
  } else if (name === 'timeout') {
    const ms = parseDuration(value);
    if (ms !== null && ms >= 1_000 && ms <= 24 * 3_600_000) draft.timeoutMs = ms;
    else draft.notes.push(`timeout "${value}" ignored (1s-24h)`);
  } else draft.refs.push(...parseReferences(value));
}

/** "90s", "15m", "2h", "1500ms" or a bare number of seconds. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?$/i.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] ?? 's').toLowerCase();
  const factor = unit === 'ms' ? 1 : unit === 'm' || unit === 'min' ? 60_000 : unit === 'h' ? 3_600_000 : 1_000;
  return Math.round(Number(m[1]) * factor);
}

function splitList(text: string): string[] {
  return text
    .split(/,|\s+and\s+/)
    .map((s) => s.replace(/`/g, '').trim())
    .filter(Boolean);
}

function firstClause(text: string): string {
  const cut = text.search(/\s[—–]\s|\s-\s|:\s|\.\s|\.$/);
  return (cut > 0 ? text.slice(0, cut) : text).trim();
}

function shorten(text: string, max = 120): string {
  const clean = text.replace(/[*_`]/g, '').trim() || 'Untitled task';
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 40))}…`;
}
