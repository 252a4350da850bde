// The deterministic planner: a PRD's Markdown (headings, numbered/bulleted items, checklists, "depends on"/"after")
// becomes a task DAG with no model at all. The default planner, and the fallback of the model planner.
import { type Outline, type OutlineSection, parseOutline } from './markdown-outline';
import { MAX_PLAN_TASKS as MAX_TASKS, type Plan, type PlanTask, planTaskSchema } from './plan-schema';
import { type ItemDraft, normaliseName, parseReferences, readItem, slugify, type TaskReference } from './prd-item';
import { kindsWithCommands, type PlanProblem, planError, findPlanProblems } from './plan-validation';

/** Headings whose content describes the PRD rather than asking for work. */
const ignoredHeading = /^(why|background|context|overview|motivation|goals?|non[- ]goals?|notes?|out of scope|references?|glossary|summary|introduction|problem|users?|personas?|open questions|risks?|faq)\b/i;


interface Draft extends ItemDraft {
  /** 1-based position in the document. */
  index: number;
  section: OutlineSection;
  ordinal: number | null;
  sectionRefs: TaskReference[];
}

export interface StructuralPlan {
  plan: Plan;
  /** What the planner ignored or guessed, for the Director. */
  notes: string[];
}

/** Plans a PRD; throws `invalid_input` listing every problem when no valid DAG comes out of it. */
export function planFromMarkdown(prd: string, options: { title?: string } = {}): StructuralPlan {
  const outline = parseOutline(prd);
  const drafts = collectDrafts(outline);
  const notes: string[] = [];
  const problems: PlanProblem[] = [];
  if (drafts.length > MAX_TASKS) {
    problems.push({ code: 'schema', message: `The PRD yields ${drafts.length} tasks; a plan holds at most ${MAX_TASKS}. Split it into several PRDs.` });
    throw planError(problems);
  }
  assignKeys(drafts);
  const index = indexDrafts(drafts);
  const tasks: PlanTask[] = drafts.map((draft) => {
    const dependsOn = resolveAll(draft, index, problems, notes);
    for (const note of draft.notes) notes.push(`${draft.key}: ${note}`);
    const commands = kindsWithCommands.has(draft.kind) ? draft.commands : [];
    const criteria = kindsWithCommands.has(draft.kind) ? draft.criteria : [...draft.criteria, ...draft.commands.map((c) => `\`${c}\` succeeds`)];
    return planTaskSchema.parse({
      id: draft.key!,
      title: draft.title,
      kind: draft.kind,
      description: draft.description.slice(0, 20_000),
      acceptance: { criteria: criteria.slice(0, 50).map((c) => c.slice(0, 2000)), commands: commands.slice(0, 20).map((c) => c.slice(0, 2000)) },
      scope: draft.scope.slice(0, 100),
      skills: [...new Set(draft.skills)].slice(0, 20).map((s) => s.slice(0, 64)),
      dependsOn: [...new Set(dependsOn)],
      ...(draft.maxAttempts ? { maxAttempts: draft.maxAttempts } : {}),
      ...(draft.timeoutMs ? { timeoutMs: draft.timeoutMs } : {}),
    });
  });
  const title = (options.title ?? outline.title ?? firstLine(prd) ?? 'Untitled PRD').slice(0, 300);
  const plan: Plan = { title, tasks };
  problems.push(...findPlanProblems(plan).filter((p) => !(p.code === 'empty' && problems.length)));
  if (problems.length) throw planError(problems);
  return { plan, notes };
}

function collectDrafts(outline: Outline): Draft[] {
  const drafts: Draft[] = [];
  for (const section of outline.sections) {
    if (section.path.some((h) => ignoredHeading.test(stripTags(h)))) continue;
    const sectionRefs = sectionReferences(section);
    const open = section.items.filter((item) => item.checked !== true);
    if (open.length) {
      for (const item of open) {
        const draft = readItem(item.text, item.children, item.code);
        drafts.push({ ...draft, index: drafts.length + 1, section, ordinal: item.ordinal, sectionRefs });
      }
    } else if (section.level >= 2 && section.items.length === 0 && !section.hasSubsections && section.text.some((t) => !/^(depends on|after|requires)\b/i.test(t))) {
      const text = section.text.filter((t) => !/^(depends on|after|requires)\b/i.test(t)).join('\n\n');
      const draft = readItem(`**${stripTags(section.heading)}** ${text}`, [], []);
      drafts.push({ ...draft, index: drafts.length + 1, section, ordinal: null, sectionRefs });
    }
  }
  return drafts;
}

/** "## Frontend (after Backend)" and a line "Depends on: Backend" make every task of the section depend on it. */
function sectionReferences(section: OutlineSection): TaskReference[] {
  const refs: TaskReference[] = [];
  const tag = /\((?:depends on|after|requires)\s*:?\s*([^)]*)\)/i.exec(section.heading);
  if (tag) refs.push(...parseReferences(tag[1]!));
  for (const line of section.text) {
    const m = /^(?:depends on|after|requires)\s*:?\s*(.+)$/i.exec(line);
    if (m) refs.push(...parseReferences(m[1]!));
  }
  return refs;
}

function assignKeys(drafts: Draft[]): void {
  const used = new Set<string>();
  for (const d of drafts) if (d.key) used.add(d.key);
  for (const d of drafts) {
    if (d.key) continue;
    const base = slugify(d.title) || `t${d.index}`;
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base.slice(0, 36)}-${n}`;
    used.add(key);
    d.key = key;
  }
}

/** Lookups by key and by (section, ordinal), so resolving every reference of a large PRD stays linear. */
interface DraftIndex {
  drafts: Draft[];
  byKey: Map<string, Draft>;
  byOrdinal: Map<OutlineSection, Map<number, Draft>>;
}

function indexDrafts(drafts: Draft[]): DraftIndex {
  const byKey = new Map<string, Draft>();
  const byOrdinal = new Map<OutlineSection, Map<number, Draft>>();
  for (const d of drafts) {
    if (!byKey.has(d.key!)) byKey.set(d.key!, d);
    if (d.ordinal === null) continue;
    const list = byOrdinal.get(d.section) ?? new Map<number, Draft>();
    if (!list.has(d.ordinal)) list.set(d.ordinal, d);
    byOrdinal.set(d.section, list);
  }
  return { drafts, byKey, byOrdinal };
}

function resolveAll(draft: Draft, index: DraftIndex, problems: PlanProblem[], notes: string[]): string[] {
  const out: string[] = [];
  for (const ref of [...draft.sectionRefs, ...draft.refs]) {
    const fromSection = draft.sectionRefs.includes(ref);
    const keys = resolve(ref, draft, index).filter((k) => k !== draft.key && !(fromSection && index.byKey.get(k)?.section === draft.section));
    if (keys.length) out.push(...keys);
    else if (ref.strict) problems.push({ code: 'unknown_dependency', taskId: draft.key!, message: `Task "${draft.key}" depends on ${ref.raw}, which names no task or section of the PRD.` });
    else notes.push(`${draft.key}: "${ref.raw}" read as ordinary words, not a dependency`);
  }
  return out;
}

function resolve(ref: TaskReference, draft: Draft, index: DraftIndex): string[] {
  const { drafts } = index;
  if (ref.form === 'number') {
    const n = Number(ref.value);
    const sameList = index.byOrdinal.get(draft.section)?.get(n);
    const target = sameList ?? drafts[n - 1];
    return target ? [target.key!] : [];
  }
  const byKey = index.byKey.get(ref.value);
  if (byKey) return [byKey.key!];
  const name = ref.form === 'key' ? normaliseName(ref.value) : ref.value;
  if (!name) return [];
  const inSection = drafts.filter((d) => d.section.path.some((h) => sameName(name, normaliseName(stripTags(h)))));
  if (inSection.length) {
    // The deepest heading that matches wins ("Backend" → every task under it, subsections included).
    return inSection.map((d) => d.key!);
  }
  let best: Draft | undefined;
  for (const d of drafts) {
    const title = normaliseName(d.title);
    if (title && sameName(name, title) && (!best || title.length > normaliseName(best.title).length)) best = d;
  }
  return best ? [best.key!] : [];
}

/** A reference names a heading or title when it is it, or one starts with the other as whole words. */
function sameName(reference: string, name: string): boolean {
  if (reference === name) return true;
  if (name.length >= 3 && reference.startsWith(`${name} `)) return true;
  return reference.length >= 6 && name.startsWith(`${reference} `);
}

function stripTags(heading: string): string {
  return heading.replace(/\((?:depends on|after|requires)[^)]*\)/gi, '').trim();
}

function firstLine(text: string): string | null {
  const line = text.split('\n').find((l) => l.trim());
  return line ? line.replace(/^#+\s*/, '').trim().slice(0, 300) || null : null;
}
