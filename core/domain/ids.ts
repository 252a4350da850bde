// Identifier helpers: sortable, URL-safe ids with a readable prefix (run_…, task_…).
import { randomBytes } from 'node:crypto';

/** A time-ordered id: 10 chars of base36 milliseconds + 12 random base32 chars, behind a prefix. */
export function newId(prefix: string, now: Date = new Date()): string {
  const time = now.getTime().toString(36).padStart(10, '0');
  const rand = randomBytes(8).toString('hex').slice(0, 12);
  return `${prefix}_${time}${rand}`;
}
