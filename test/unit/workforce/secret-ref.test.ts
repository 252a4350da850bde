// apiKeyRef resolution: env and file references, read at each call, and a value that never prints.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { resolveSecretRef } from '../../../core/workforce/secret-ref';

describe('resolveSecretRef', () => {
  it('reads env:NAME from the given environment, trimmed', () => {
    assert.equal(resolveSecretRef('env:MY_KEY', { env: { MY_KEY: ' sk-123 \n' } }).reveal(), 'sk-123');
  });

  it('reads file:/path now, so a rotated file takes effect on the next call', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ref-')), 'key');
    fs.writeFileSync(file, 'sk-old\n');
    assert.equal(resolveSecretRef(`file:${file}`).reveal(), 'sk-old');
    fs.writeFileSync(file, 'sk-new\n');
    assert.equal(resolveSecretRef(`file:${file}`).reveal(), 'sk-new');
  });

  it('names the variable to set when it is missing, and the setting', () => {
    assert.throws(() => resolveSecretRef('env:ABSENT_KEY', { env: {} }), (e: Error & { code?: string; details?: Record<string, unknown> }) => {
      return e.code === 'config' && /Set ABSENT_KEY/.test(e.message) && e.details?.setting === 'apiKeyRef';
    });
  });

  it('refuses a missing or empty secret file, naming the reference', () => {
    assert.throws(() => resolveSecretRef('file:/nonexistent/aura/key'), /file:\/nonexistent\/aura\/key.*ENOENT/);
    assert.throws(() => resolveSecretRef('file:/k', { readFile: () => '  \n' }), /is empty/);
  });

  it('refuses a key pasted where a reference belongs, without echoing it', () => {
    assert.throws(() => resolveSecretRef('sk-live-abcdef123456'), (e: Error) => /reference/.test(e.message) && !e.message.includes('sk-live-abcdef123456'));
  });

  it('shows [redacted] through String, JSON and util.inspect, and scrubs the value out of text', () => {
    const secret = resolveSecretRef('env:K', { env: { K: 'sk-visible-nowhere' } });
    const shown = [String(secret), `${secret}`, JSON.stringify({ secret }), inspect(secret), inspect({ nested: { secret } }, { depth: 5, showHidden: true })].join(' ');
    assert.ok(!shown.includes('sk-visible-nowhere'), shown);
    assert.equal(secret.scrub('Bearer sk-visible-nowhere was refused'), 'Bearer [redacted] was refused');
  });
});
