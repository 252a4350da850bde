// Compiles a policy document: YAML → schema → CEL, rejecting the first problem with its line and reason.
import { isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { AuraError, describeIssues } from '../../domain/errors';
import { policyEnvironment } from './cel-environment';
import { type Checkpoint, checkpoints, disablingKeys, type PolicyAction, policyDocumentSchema } from './policy-schema';

export interface CompiledRule {
  name: string;
  on: ReadonlySet<Checkpoint>;
  action: PolicyAction;
  reason: string;
  when: string;
  /** Evaluates the condition; throws when it cannot be evaluated or is not a boolean. */
  test(context: Record<string, unknown>): boolean;
}

export interface CompiledPolicySet {
  name: string;
  description?: string;
  rules: readonly CompiledRule[];
}

/** Where a policy document went wrong: 1-based line and column in the YAML source. */
export interface PolicyProblem {
  line: number | null;
  column: number | null;
  reason: string;
  /** The document tried to switch enforcement off (recorded as a refusal, not only a syntax error). */
  disables?: boolean;
}

export function policyError(problem: PolicyProblem): AuraError {
  const where = problem.line ? `line ${problem.line}${problem.column ? `, column ${problem.column}` : ''}: ` : '';
  return new AuraError('invalid_input', `Policy rejected at ${where || '(document): '}${problem.reason}`, { details: { ...problem } });
}

/** Compiles YAML source; throws AuraError('invalid_input') whose details are a PolicyProblem. */
export function compilePolicySet(name: string, source: string): CompiledPolicySet {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return { line: null, column: null };
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const yamlError = doc.errors[0];
  if (yamlError) throw policyError({ ...at(yamlError.pos[0]), reason: `invalid YAML: ${yamlError.message.split('\n')[0]}` });

  const raw: unknown = doc.toJS();
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const disabling = Object.keys(raw).find((key) => (disablingKeys as readonly string[]).includes(key));
    if (disabling) {
      throw policyError({ ...at(nodeStart(doc, [disabling], true)), reason: `"${disabling}" would switch governance off; governance cannot be disabled`, disables: true });
    }
  }
  const parsed = policyDocumentSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    // For an unknown key the issue names the object; point at the key itself.
    const keys = (issue as { keys?: string[] }).keys;
    const offset = keys?.length ? nodeStart(doc, [...path, keys[0]!], true) : nodeStart(doc, path, false);
    throw policyError({ ...at(offset), reason: describeIssues([issue]) });
  }

  const env = policyEnvironment();
  const seen = new Set<string>();
  const rules = parsed.data.rules.map((rule, index): CompiledRule => {
    if (seen.has(rule.name)) throw policyError({ ...at(nodeStart(doc, ['rules', index, 'name'], false)), reason: `rule name "${rule.name}" is used twice` });
    seen.add(rule.name);
    const check = env.check(rule.when);
    if (!check.valid || (check.type !== 'bool' && check.type !== 'dyn')) {
      const reason = check.valid ? `condition of rule "${rule.name}" is ${check.type}, expected a boolean` : `condition of rule "${rule.name}": ${firstLine(check.error?.message)}`;
      const errorOffset = check.valid ? 0 : ((check.error as { range?: { start: number } } | undefined)?.range?.start ?? 0);
      throw policyError({ ...conditionPosition(doc, lines, ['rules', index, 'when'], rule.when, errorOffset), reason });
    }
    const program = env.parse(rule.when);
    return {
      name: rule.name,
      on: new Set(rule.on ?? checkpoints),
      action: rule.action,
      reason: rule.reason ?? rule.description ?? `policy rule ${rule.name}`,
      when: rule.when,
      test(context) {
        const value = program(context);
        if (typeof value !== 'boolean') throw new AuraError('policy_denied', `condition of rule "${rule.name}" gave ${typeof value}, expected a boolean`);
        return value;
      },
    };
  });
  return { name, description: parsed.data.description, rules };
}

function firstLine(message: string | undefined): string {
  return (message ?? 'invalid expression').split('\n')[0]!;
}

function nodeStart(doc: Document, path: ReadonlyArray<string | number>, key: boolean): number | undefined {
  if (key && path.length) {
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    const items = (parent as { items?: Array<{ key: unknown }> } | null)?.items;
    const pair = items?.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
    if (pair && isScalar(pair.key)) return pair.key.range?.[0];
  }
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node.range[0];
  }
  return undefined;
}

/** Maps an offset inside a condition to its YAML line: block scalars start on the line after their indicator. */
function conditionPosition(doc: Document, lines: LineCounter, path: Array<string | number>, expression: string, offset: number) {
  const node = doc.getIn(path, true);
  if (!isScalar(node) || !node.range) return { line: null, column: null };
  const start = lines.linePos(node.range[0]);
  const before = expression.slice(0, offset);
  const newlines = before.split('\n').length - 1;
  const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  if (block) return { line: start.line + 1 + (node.type === 'BLOCK_LITERAL' ? newlines : 0), column: null };
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  return { line: start.line + newlines, column: newlines ? null : start.col + quoted + offset };
}
