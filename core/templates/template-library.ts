// The template library: the shipped templates (templates/ beside the code) and those the Director saved (aura.templates).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../domain/clock';
import { AuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Plan } from '../manager/plan-schema';
import type { Store } from '../store/store';
import { templateFromPlan } from './skeleton-from-plan';
import { parseTemplate, type Template } from './template-format';

export interface TemplateSummary {
  name: string;
  version: number;
  title: string;
  description: string;
  phases: string[];
  variables: Record<string, { description: string; default?: string; example?: string }>;
  approvalGates: string[];
  suggestedSkills: string[];
  policySet: string | null;
  budgetUsd: number | null;
  origin: 'shipped' | 'saved';
}

export interface TemplateLibrary {
  /** The newest version of every template, shipped first, then saved, by name. */
  list(): Promise<TemplateSummary[]>;
  /** One template (the newest version unless `version` is given). */
  get(name: string, version?: number): Promise<Template>;
  /** Saves a template file, or a run's plan as one, as the next version of its name. */
  save(input: { source: string } | { plan: Plan; runId: string; name: string; title: string; description: string }, actor: string): Promise<Template>;
}

/** Where the shipped templates are: beside the bundle (dist/templates) or at the repository's root from source. */
export function findTemplatesDir(from: string): string {
  const candidates = [path.join(from, 'templates'), path.join(from, '..', 'templates'), path.join(from, '..', '..', 'templates'), path.join(from, '..', '..', '..', 'templates')];
  return candidates.find((dir) => fs.existsSync(dir)) ?? candidates[0]!;
}

/** Reads every shipped template; one that does not parse is a bug of the release, so it fails loudly here. */
export function loadShippedTemplates(dir: string): Template[] {
  if (!fs.existsSync(dir)) throw new AuraError('config', `The shipped templates are missing: no folder ${dir}.`);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file) => {
      try {
        return parseTemplate(fs.readFileSync(path.join(dir, file), 'utf8'), 'shipped');
      } catch (error) {
        throw new AuraError('internal', `Shipped template ${file}: ${(error as Error).message}`);
      }
    });
}

export const summarise = (t: Template): TemplateSummary => ({
  name: t.name,
  version: t.version,
  title: t.title,
  description: t.description,
  phases: t.phases,
  variables: t.variables,
  approvalGates: t.approvalGates,
  suggestedSkills: t.suggestedSkills,
  policySet: t.policySet ?? null,
  budgetUsd: t.budgetUsd ?? null,
  origin: t.origin,
});

export function createTemplateLibrary(deps: { store: Store; events: EventLog; clock: Clock; shipped: readonly Template[] }): TemplateLibrary {
  const shipped = new Map(deps.shipped.map((t) => [t.name, t]));

  async function saved(name?: string, version?: number): Promise<Template[]> {
    const { rows } = await deps.store.query<{ source: string }>(
      `SELECT DISTINCT ON (name) source FROM aura.templates
        WHERE ($1::text IS NULL OR name = $1) AND ($2::int IS NULL OR version = $2)
        ORDER BY name, version DESC`,
      [name ?? null, version ?? null],
    );
    // Saved sources were checked when saved; parsing again reads them back into the same shape.
    return rows.map((r) => parseTemplate(r.source, 'saved'));
  }

  return {
    async list() {
      return [...deps.shipped, ...(await saved())].map(summarise);
    },
    async get(name, version) {
      const own = shipped.get(name);
      if (own) {
        if (version !== undefined && version !== own.version) throw new AuraError('not_found', `Shipped template ${name} has version ${own.version} only.`);
        return own;
      }
      const [found] = await saved(name, version);
      if (!found) throw new AuraError('not_found', `No template ${name}${version ? ` version ${version}` : ''} (list_templates shows those there are).`);
      return found;
    },
    async save(input, actor) {
      return deps.store.transaction(async (tx) => {
        const name = 'source' in input ? parseTemplate(input.source, 'saved').name : input.name;
        if (shipped.has(name)) throw new AuraError('conflict', `${name} is a shipped template; save yours under another name.`);
        // Two saves racing for one version: the primary key refuses the second, which changes nothing.
        const { rows } = await tx.query<{ version: number | null }>(`SELECT max(version) AS version FROM aura.templates WHERE name = $1`, [name]);
        const version = Number(rows[0]?.version ?? 0) + 1;
        const source = 'source' in input ? input.source.replace(/^(---\r?\n[\s\S]*?\bversion:\s*)\d+/m, `$1${version}`) : templateFromPlan(input.plan, { name, version, title: input.title, description: input.description });
        const template = parseTemplate(source, 'saved');
        const sourceHash = createHash('sha256').update(source).digest('hex');
        const fromRunId = 'source' in input ? null : input.runId;
        await tx.query(`INSERT INTO aura.templates (name, version, source, source_hash, from_run_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [name, version, source, sourceHash, fromRunId, actor, deps.clock.now().toISOString()]);
        await deps.events.appendIn(tx, [{ type: 'TemplateSaved', actor, payload: { name, version, sourceHash, fromRunId } }]);
        return template;
      });
    },
  };
}
