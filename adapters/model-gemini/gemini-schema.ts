// Which Gemini field carries a JSON Schema: responseSchema (the API's OpenAPI subset) when it fits, else responseJsonSchema.

/** JSON Schema keywords the SDK can carry into Gemini's Schema (it upper-cases types and drops additionalProperties). */
const subsetKeywords = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required', 'minProperties',
  'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering', 'default', 'items', 'minimum',
  'maximum', 'additionalProperties',
]);
const subsetTypes = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

/**
 * Whether the schema uses only what responseSchema supports. `$ref`, `oneOf`, `const`, tuple `items` and
 * the like do not fit; such a schema goes as responseJsonSchema, which takes JSON Schema as it is.
 */
export function fitsResponseSchema(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return false;
  for (const [key, value] of Object.entries(schema)) {
    if (!subsetKeywords.has(key)) return false;
    if (key === 'type') {
      const types = Array.isArray(value) ? value.filter((t) => t !== 'null') : [value];
      if (types.length !== 1 || !subsetTypes.has(String(types[0]))) return false;
    }
    if (key === 'items' && !fitsResponseSchema(value)) return false;
    if (key === 'anyOf' && !(Array.isArray(value) && value.every((v) => (v as { type?: unknown })?.type === 'null' || fitsResponseSchema(v)))) return false;
    if (key === 'properties' && !Object.values(value as Record<string, unknown>).every(fitsResponseSchema)) return false;
    if (key === 'additionalProperties' && typeof value !== 'boolean') return false;
  }
  return true;
}

/** The generation config fields for a JSON answer shaped by `schema`. */
export function jsonOutputConfig(schema: Record<string, unknown>): Record<string, unknown> {
  // `$schema` would make the SDK reroute the schema itself; it is a dialect marker the API does not need.
  const { $schema: _dialect, ...rest } = schema;
  return fitsResponseSchema(rest)
    ? { responseMimeType: 'application/json', responseSchema: rest }
    : { responseMimeType: 'application/json', responseJsonSchema: schema };
}
