// Checks a model's answer when JSON was asked for: it parses, and it matches the requested JSON Schema.
import { z } from 'zod';

export type StructuredCheck =
  | { ok: true; text: string; value: unknown }
  | { ok: false; reason: 'not_json' | 'schema_mismatch'; message: string };

/** A model sometimes wraps JSON in a Markdown fence even in JSON mode; one surrounding fence is tolerated. */
const fence = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i;

export function checkStructuredAnswer(text: string, schema: Record<string, unknown> | undefined): StructuredCheck {
  let body = text.trim().replace(/^\uFEFF/, '');
  const fenced = fence.exec(body);
  if (fenced) body = fenced[1]!.trim();
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: 'not_json', message: `JSON was requested but the answer is not JSON (${(error as Error).message}); it starts: ${JSON.stringify(body.slice(0, 80))}` };
  }
  const validator = schema ? schemaValidator(schema) : undefined;
  if (validator) {
    const result = validator.safeParse(value);
    if (!result.success) {
      const issues = result.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`)
        .join('; ');
      return { ok: false, reason: 'schema_mismatch', message: `the answer does not match the requested schema: ${issues}` };
    }
  }
  return { ok: true, text: body, value };
}

const validators = new WeakMap<object, z.ZodType | null>();

/**
 * The schema as a zod validator, or null when it uses JSON Schema features zod cannot express (then only
 * "is it JSON" is checked here; the caller's own zod parse of the value remains the real gate).
 */
function schemaValidator(schema: Record<string, unknown>): z.ZodType | null {
  let validator = validators.get(schema);
  if (validator === undefined) {
    try {
      validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch {
      // An unsupported schema feature: fall back to the JSON check alone, as documented above.
      validator = null;
    }
    validators.set(schema, validator);
  }
  return validator;
}
