// What every `aura` command shares: exit codes, the action wrapper that maps errors onto them, and output helpers.
import { type Command, InvalidArgumentError } from 'commander';
import { AuraError, type ErrorCode, toAuraError } from '../../core/domain/errors';

/** The exit codes of `aura` (documented in the README): scripts branch on them. */
export const exitCodes = {
  ok: 0,
  /** The command ran and the answer is a failure: a check failed, a run did not succeed, an error not listed below. */
  failed: 1,
  /** Bad usage or invalid input: nothing was done. */
  usage: 2,
  /** No `aura serve` answers at the server URL. */
  unreachable: 3,
  /** The token was refused, or its role may not do this. */
  unauthorized: 4,
  notFound: 5,
  /** Refused in its current state (conflict, policy, budget). */
  refused: 6,
} as const;

const byErrorCode: Partial<Record<ErrorCode, number>> = {
  invalid_input: exitCodes.usage,
  unauthorized: exitCodes.unauthorized,
  forbidden: exitCodes.unauthorized,
  not_found: exitCodes.notFound,
  conflict: exitCodes.refused,
  policy_denied: exitCodes.refused,
  budget_exceeded: exitCodes.refused,
};

export function exitCodeOf(error: AuraError): number {
  return byErrorCode[error.code] ?? exitCodes.failed;
}

/** A server-side tool failure reads `code: message`; the code picks the exit code. */
export function fromToolMessage(message: string): AuraError {
  const match = /^([a-z_]+): ([\s\S]*)$/.exec(message);
  const code = match?.[1] as ErrorCode | undefined;
  if (code && code in byErrorCode) return new AuraError(code, match![2]!);
  return new AuraError('internal', message);
}

/** Turns a command body answering an exit code into a commander action; a thrown error prints one line. */
export function act<A extends unknown[]>(name: string, body: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await body(...args);
      process.exitCode = typeof code === 'number' ? code : exitCodes.ok;
    } catch (error) {
      const e = toAuraError(error);
      process.stderr.write(`aura ${name}: ${e.message}\n`);
      // Only a bug shows its stack: a classified error's message says all there is to say.
      if (!AuraError.is(error) || e.code === 'internal') process.stderr.write(`${(error as Error).stack ?? ''}\n`);
      process.exitCode = typeof (error as { exitCode?: unknown }).exitCode === 'number' ? (error as { exitCode: number }).exitCode : exitCodeOf(e);
    }
  };
}

/** An AuraError that carries its own exit code (e.g. "nothing answers at the server URL"). */
export function withExitCode(error: AuraError, exitCode: number): AuraError {
  return Object.assign(error, { exitCode });
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Left-aligned columns, widths from the content; an empty list prints `empty` instead. */
export function printTable(rows: ReadonlyArray<Record<string, string>>, columns: readonly string[], empty: string): void {
  if (rows.length === 0) {
    process.stdout.write(`${empty}\n`);
    return;
  }
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  process.stdout.write(line(columns.map((c) => c.toUpperCase())) + '\n');
  for (const r of rows) process.stdout.write(line(columns.map((c) => r[c] ?? '')) + '\n');
}

/** Collects a repeatable option (`--status a --status b`, or `--status a,b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}

/** A command that parses its own arguments (argv in, exit code out) registered as it is. */
export function passThrough(name: string, description: string, run: (argv: string[]) => Promise<number | void>): { register(program: Command): void } {
  return {
    register(program) {
      program
        .command(name)
        .description(description)
        .helpOption(false)
        .allowUnknownOption()
        .allowExcessArguments()
        .argument('[args...]')
        .action(async (args: string[]) => {
          await act(name, () => run(args))();
        });
    },
  };
}
