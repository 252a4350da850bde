// Finds the audit log's HMAC key: AURA_AUDIT_KEY, AURA_AUDIT_KEY_FILE, or one generated under $AURA_HOME/secrets.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config';
import { AuraError } from '../domain/errors';

export interface AuditKey {
  key: string;
  source: 'env' | 'file' | 'generated' | 'home';
  /** Where a generated key was written, to say so once. */
  location?: string;
}

export function resolveAuditKey(config: Pick<Config, 'auditKey' | 'auditKeyFile' | 'secretsDir'>): AuditKey {
  if (config.auditKey) return { key: config.auditKey, source: 'env' };
  if (config.auditKeyFile) {
    try {
      const key = fs.readFileSync(config.auditKeyFile, 'utf8').trim();
      if (key.length < 16) throw new Error('fewer than 16 characters');
      return { key, source: 'file' };
    } catch (error) {
      throw new AuraError('config', `AURA_AUDIT_KEY_FILE=${config.auditKeyFile}: cannot read a key of at least 16 characters (${(error as Error).message}).`);
    }
  }
  const file = path.join(config.secretsDir, 'audit.key');
  if (fs.existsSync(file)) return { key: fs.readFileSync(file, 'utf8').trim(), source: 'home', location: file };
  fs.mkdirSync(config.secretsDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  try {
    fs.writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process generated it first: use that one.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { key: fs.readFileSync(file, 'utf8').trim(), source: 'home', location: file };
    throw error;
  }
  return { key, source: 'generated', location: file };
}
