// Generators of bad tool arguments, derived from each tool's published input schema and a valid seed call.
import fc from 'fast-check';

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; maxLength?: number; maxItems?: number; description?: string; items?: JsonSchema };

export interface BadInput {
  kind: string;
  args: Record<string, unknown>;
}

/** Unicode that looks harmless to a person and is not an id: direction overrides, zero-width, fullwidth, other scripts. */
const oddIds = [
  '\u202erun_1',
  'run_\u200b1',
  'ｒｕｎ＿１',
  'run_١٢٣',
  'emp_🚀',
  ' emp_1',
  'emp_1\n',
  '../../etc/passwd',
  "x' OR '1'='1",
  'é'.normalize('NFD') + 'mp_1',
  '',
  'a'.repeat(101),
];

const nonString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }));
const nonNumber = fc.oneof(fc.string({ maxLength: 10 }), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.constant({}));
const nonArray = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant({ length: 1 }));
const nonObject = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }));
const nonBoolean = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null), fc.constant([true]));

function wrongValueFor(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const type = Array.isArray(schema.type) ? undefined : schema.type;
  if (type === 'string') return nonString;
  if (type === 'number' || type === 'integer') return type === 'integer' ? fc.oneof(nonNumber, fc.double({ min: 0.1, max: 0.9 })) : nonNumber;
  if (type === 'array') return nonArray;
  if (type === 'object') return nonObject;
  if (type === 'boolean') return nonBoolean;
  return undefined;
}

/** Text PostgreSQL cannot hold faithfully: a NUL or a lone surrogate somewhere inside. */
const unstorableText = fc
  .tuple(fc.string({ maxLength: 20 }), fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\ud83d'), fc.string({ maxLength: 20 }))
  .map(([a, bad, b]) => a + bad + b);

function deepValue(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const isId = (s: JsonSchema) => s.type === 'string' && /\bid$/.test(s.description ?? '');

/** Bad arguments for one tool: each kind replaces one part of a valid seed call. */
export function badInputs(inputSchema: JsonSchema, seed: Record<string, unknown>): fc.Arbitrary<BadInput> {
  const props = inputSchema.properties ?? {};
  const names = Object.keys(props);
  const required = inputSchema.required ?? [];
  const strings = names.filter((n) => props[n]!.type === 'string');
  const typed = names.filter((n) => wrongValueFor(props[n]!) !== undefined);
  const ids = names.filter((n) => isId(props[n]!));
  const bounded = names.filter((n) => props[n]!.maxLength !== undefined || props[n]!.maxItems !== undefined);
  const set = (name: string, value: unknown) => ({ ...seed, [name]: value });

  const kinds: Array<fc.Arbitrary<BadInput>> = [
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !names.includes(k) && k !== '__proto__'), fc.jsonValue({ maxDepth: 2 }))
      .map(([key, value]) => ({ kind: 'unknown key', args: { ...seed, [key]: value } })),
    fc.constantFrom(1_000_001, 2_000_000).map((n) => ({ kind: 'oversized arguments', args: { ...seed, [names[0] ?? 'x']: 'x'.repeat(n) } })),
    fc.integer({ min: 33, max: 200 }).map((d) => ({ kind: 'too deep', args: { ...seed, [names[0] ?? 'x']: deepValue(d) } })),
    fc.integer({ min: 10_001, max: 12_000 }).map((n) => ({ kind: 'too many elements', args: { ...seed, [names[0] ?? 'x']: new Array(n).fill(1) } })),
  ];
  if (required.length) kinds.push(fc.constantFrom(...required).map((name) => ({ kind: `missing ${name}`, args: Object.fromEntries(Object.entries(seed).filter(([k]) => k !== name)) })));
  if (typed.length) kinds.push(fc.constantFrom(...typed).chain((name) => wrongValueFor(props[name]!)!.map((value) => ({ kind: `wrong type for ${name}`, args: set(name, value) }))));
  const textual = strings.length ? strings : names;
  if (textual.length) kinds.push(fc.tuple(fc.constantFrom(...textual), unstorableText).map(([name, value]) => ({ kind: `unstorable text in ${name}`, args: set(name, value) })));
  if (ids.length) {
    kinds.push(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...oddIds)).map(([name, value]) => ({ kind: `odd id in ${name}`, args: set(name, value) })));
    kinds.push(
      fc.tuple(fc.constantFrom(...ids), fc.stringMatching(/^[a-z]{3,5}_[0-9a-z]{8,20}$/)).map(([name, value]) => ({ kind: `unknown id in ${name}`, args: set(name, value) })),
    );
  }
  if (bounded.length) {
    kinds.push(
      fc.constantFrom(...bounded).chain((name) => {
        const p = props[name]!;
        if (p.maxLength !== undefined) return fc.integer({ min: p.maxLength + 1, max: p.maxLength + 50 }).map((n) => ({ kind: `${name} over its length`, args: set(name, 'y'.repeat(n)) }));
        const item = p.items?.type === 'string' ? 'z' : 1;
        return fc.integer({ min: p.maxItems! + 1, max: p.maxItems! + 5 }).map((n) => ({ kind: `${name} over its item count`, args: set(name, new Array(n).fill(item)) }));
      }),
    );
  }
  return fc.oneof(...kinds);
}

/** The error codes a failed operation may carry; `internal` is a bug and never acceptable. */
export const CLEAR_TOOL_ERROR = /^(invalid_input|not_found|conflict|forbidden|policy_denied|budget_exceeded): \S/;
