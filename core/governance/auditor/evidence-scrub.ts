// Makes content safe to keep as evidence: no secret-named fields, no NUL characters, bounded sizes.

/** Field names whose values are never kept (the same family the logger redacts). */
const secretKey = /^(api[-_]?key|apikey|token|access[-_]?token|authorization|password|passwd|secret|client[-_]?secret|audit[-_]?key|private[-_]?key)$/i;

export const MAX_EVIDENCE_STRING = 64 * 1024;
const MAX_DEPTH = 12;
const MAX_ITEMS = 2000;

/** Keeps the head and tail of a long text, marking what was dropped. */
export function clip(text: string, max = MAX_EVIDENCE_STRING): string {
  const clean = text.replace(/\u0000/g, '\uFFFD');
  if (clean.length <= max) return clean;
  const half = Math.floor(max / 2);
  return `${clean.slice(0, half)}\n…[${clean.length - 2 * half} characters dropped]…\n${clean.slice(-half)}`;
}

export function scrubEvidence(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return clip(value);
  if (value === null || typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => scrubEvidence(v, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more items dropped]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue;
    out[key] = secretKey.test(key) ? '[redacted]' : scrubEvidence(v, depth + 1);
  }
  return out;
}
