// The serve process's own Director token: written 0600 under $AURA_HOME/secrets for local relays, new each start.
import fs from 'node:fs';
import path from 'node:path';
import { generateTokenSecret } from './token-secret';

export function localTokenPath(secretsDir: string): string {
  return path.join(secretsDir, 'mcp-local.token');
}

/**
 * Creates a fresh local token and writes it where only this user can read it. Whoever can read
 * $AURA_HOME/secrets can already open the embedded database, so this grants nothing new; it lets
 * `aura mcp` (relaying stdio) and the VS Code extension (which started this server) connect as the Director.
 */
export function writeLocalToken(secretsDir: string): { secret: string; file: string; remove(): void } {
  fs.mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const file = localTokenPath(secretsDir);
  const secret = generateTokenSecret();
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return {
    secret,
    file,
    remove: () => {
      // Only remove it if it is still ours (a newer server may have replaced it).
      try {
        if (fs.readFileSync(file, 'utf8').trim() === secret) fs.rmSync(file, { force: true });
      } catch {
        // Already gone: nothing to clean up.
      }
    },
  };
}

export function readLocalToken(secretsDir: string): string | undefined {
  try {
    return fs.readFileSync(localTokenPath(secretsDir), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
