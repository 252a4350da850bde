// When the next scheduled backup is due, from AURA_BACKUP_CRON (five cron fields, UTC; `off` for none).
import { parseExpression } from 'cron-parser';

/** Why a cron expression is refused, or undefined when it reads (or is `off`). */
export function cronProblem(expression: string): string | undefined {
  if (expression === 'off') return undefined;
  if (expression.trim().split(/\s+/).length !== 5) return 'expected five cron fields (minute hour day month weekday), e.g. "17 3 * * *", or off';
  try {
    parseExpression(expression, { tz: 'UTC' });
    return undefined;
  } catch (error) {
    return `not a cron expression (${(error as Error).message})`;
  }
}

/** The first scheduled time strictly after `after`; undefined when backups are off. */
export function nextBackupAt(expression: string, after: Date): Date | undefined {
  if (expression === 'off') return undefined;
  return parseExpression(expression, { tz: 'UTC', currentDate: after }).next().toDate();
}
