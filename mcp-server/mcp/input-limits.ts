// Limits on what a tool call may carry, and the text/id schemas every tool's input is built from.
import { z } from 'zod';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Serialized arguments of one call, in UTF-16 code units (a PRD is the largest legitimate input). */
export const MAX_ARGUMENT_CHARS = 1_000_000;
/** Array elements plus object members, counted over the whole argument tree. */
export const MAX_ARGUMENT_ELEMENTS = 10_000;
/** Nesting depth of the argument tree. */
export const MAX_ARGUMENT_DEPTH = 32;
/** Largest PRD accepted (characters). */
export const MAX_PRD_CHARS = 500_000;
/** A stdio message larger than this closes the stdio connection (the SDK's read buffer); HTTP answers 413. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Why an argument tree is unacceptable whatever the tool (too big, too deep, or holding text PostgreSQL cannot
 * store faithfully), or undefined when it is fine. Iterative: no stack to overflow on hostile nesting.
 */
export function argumentShapeProblem(value: unknown): string | undefined {
  let elements = 0;
  const stack: Array<{ node: unknown; depth: number; path: string }> = [{ node: value, depth: 0, path: '' }];
  while (stack.length) {
    const { node, depth, path } = stack.pop()!;
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) return `${path || '(root)'} ${problem}`;
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_ARGUMENT_DEPTH) return `arguments are nested deeper than ${MAX_ARGUMENT_DEPTH} levels`;
    elements += Array.isArray(node) ? node.length : Object.keys(node).length;
    if (elements > MAX_ARGUMENT_ELEMENTS) return `arguments hold more than ${MAX_ARGUMENT_ELEMENTS} elements`;
    const entries: Array<[string, unknown]> = Array.isArray(node) ? node.map((v, i) => [String(i), v]) : Object.entries(node);
    for (const [key, child] of entries) {
      const keyProblem = Array.isArray(node) ? undefined : textProblem(key);
      if (keyProblem) return `a key in ${path || '(root)'} ${keyProblem}`;
      stack.push({ node: child, depth: depth + 1, path: path ? `${path}.${key.slice(0, 40)}` : key.slice(0, 40) });
    }
  }
  const size = JSON.stringify(value ?? {}).length;
  if (size > MAX_ARGUMENT_CHARS) return `arguments are ${size} characters; the limit is ${MAX_ARGUMENT_CHARS}`;
  return undefined;
}

function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains the NUL character (U+0000), which cannot be stored';
  if (LONE_SURROGATE.test(s)) return 'is not well-formed Unicode (a lone surrogate)';
  return undefined;
}

/** Text that PostgreSQL can store and that hashes the same after a round trip: no NUL, no lone surrogate. */
export function text(max: number, min = 0) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain the NUL character (U+0000)')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode (no lone surrogate)');
}

export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]*$';

/** An entity id as the core issues them (`run_…`, `emp_…`) or a plan task key: short, ASCII, no spaces. */
export function id(what: string) {
  return z
    .string()
    .min(1)
    .max(100)
    .regex(new RegExp(ID_PATTERN), `expected a ${what} id (letters, digits, "_", ".", ":" or "-")`)
    .describe(`${what} id`);
}

/** A reason the Director gives for an action; recorded on its event. */
export const reason = text(2000, 1);

/** Paging: an opaque cursor from a previous page and a page size. */
export const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);
