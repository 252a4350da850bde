// Resolves an employee's apiKeyRef (`env:NAME` | `file:/path`) at the moment of use, into a value that never prints.
import fs from 'node:fs';
import { inspect } from 'node:util';
import { AuraError } from '../domain/errors';
import { secretRefSchema } from './employee';

const REDACTED = '[redacted]';

/**
 * A resolved secret. Only `reveal()` gives the value; String(), JSON.stringify and util.inspect show
 * `[redacted]`, so a secret that slips into a log line or an event payload shows nothing.
 */
export class Secret {
  readonly #value: string;
  /** The reference it came from (safe to show: a name, never the value). */
  readonly ref: string;

  constructor(value: string, ref: string) {
    this.#value = value;
    this.ref = ref;
  }

  reveal(): string {
    return this.#value;
  }

  /** Replaces every occurrence of the value in `text` (error messages from an SDK or a server). */
  scrub(text: string): string {
    return this.#value.length === 0 ? text : text.split(this.#value).join(REDACTED);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${this.ref})`;
  }
}

export interface SecretSources {
  /** The server's environment (default: process.env). */
  env?: NodeJS.ProcessEnv;
  readFile?: (file: string) => string;
}

/**
 * Reads the secret a reference names, now (never cached, so a rotated file or variable takes effect
 * on the next call). Errors name the setting, the reference and what to fix, never a value.
 */
export function resolveSecretRef(ref: string, sources: SecretSources = {}, setting = 'apiKeyRef'): Secret {
  const parsed = secretRefSchema.safeParse(ref);
  if (!parsed.success) {
    throw new AuraError('config', `${setting} must be env:VARIABLE_NAME or file:/absolute/path (a reference, never the key itself).`, {
      details: { setting },
    });
  }
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    const value = (sources.env ?? process.env)[name];
    if (value === undefined || value.trim() === '') {
      throw new AuraError('config', `${setting} ${ref}: the server's environment has no ${name}. Set ${name} where the server runs.`, {
        details: { setting, ref },
      });
    }
    return new Secret(value.trim(), ref);
  }
  const file = ref.slice(5);
  let text: string;
  try {
    text = (sources.readFile ?? ((f: string) => fs.readFileSync(f, 'utf8')))(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new AuraError('config', `${setting} ${ref}: the secret file cannot be read (${code}). Create it, readable by the server only.`, {
      details: { setting, ref },
    });
  }
  const value = text.trim();
  if (value === '') {
    throw new AuraError('config', `${setting} ${ref}: the secret file is empty. Put the key in it.`, { details: { setting, ref } });
  }
  return new Secret(value, ref);
}

/** Resolves an optional reference: undefined when the profile names none. */
export function resolveOptionalSecretRef(ref: string | undefined, sources: SecretSources = {}): Secret | undefined {
  return ref === undefined ? undefined : resolveSecretRef(ref, sources);
}
