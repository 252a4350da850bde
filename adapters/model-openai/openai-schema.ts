// What OpenAI structured outputs need of a JSON Schema: a name it accepts, and whether the schema can run in strict mode.

/** OpenAI accepts schema names matching ^[a-zA-Z0-9_-]{1,64}$; anything else is mapped onto that alphabet. */
export function schemaNameFor(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'answer';
}

/**
 * Strict mode guarantees the answer matches the schema, but OpenAI refuses a strict schema unless every
 * object lists all its properties as required and sets additionalProperties: false. A schema that does
 * not is sent non-strict (the answer is then checked against it after the call).
 */
export function isStrictSchema(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(isStrictSchema);
  if (typeof schema !== 'object' || schema === null) return true;
  const node = schema as Record<string, unknown>;
  const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object')) || node.properties !== undefined;
  if (isObject) {
    if (node.additionalProperties !== false) return false;
    const properties = Object.keys((node.properties as Record<string, unknown> | undefined) ?? {});
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    if (!properties.every((p) => required.has(p))) return false;
  }
  return Object.entries(node).every(([key, value]) => key === 'enum' || key === 'const' || key === 'default' || key === 'examples' || isStrictSchema(value));
}
