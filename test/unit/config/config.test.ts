// Configuration: defaults, validation naming the variable, and secrets that never serialise.
import assert from 'node:assert/strict';
import { loadConfig } from '../../../core/config/config';
import { AuraError } from '../../../core/domain/errors';

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({}, '/srv');
    assert.equal(config.home, '/srv/.aura');
    assert.equal(config.dbDir, '/srv/.aura/db');
    assert.equal(config.apiPort, 8000);
    assert.equal(config.mcpPort, 9000);
    assert.equal(config.uiPort, 5173);
    assert.equal(config.maxModelContainers, 3);
    assert.equal(config.retentionDays, 365);
    assert.equal(config.databaseUrl, undefined);
  });

  it('fails on a bad port naming the variable and what is expected', () => {
    assert.throws(() => loadConfig({ AURA_API_PORT: '99999' }), (e: unknown) => e instanceof AuraError && e.code === 'config' && /AURA_API_PORT="99999": expected a TCP port number/.test(e.message));
    assert.throws(() => loadConfig({ AURA_MCP_PORT: 'abc' }), /AURA_MCP_PORT="abc"/);
  });

  it('rejects a DATABASE_URL that is not a postgres URL without echoing it', () => {
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@h/db' }), (e: unknown) => e instanceof Error && /DATABASE_URL=\(secret, not shown\)/.test(e.message) && !e.message.includes('secret@'));
  });

  it('is frozen and redacts secrets when serialised', () => {
    const config = loadConfig({ AURA_AUDIT_KEY: 'k'.repeat(32), DATABASE_URL: 'postgres://u:pw@h/db' });
    assert.ok(Object.isFrozen(config));
    const json = JSON.stringify(config);
    assert.ok(!json.includes('kkkk'));
    assert.ok(!json.includes('pw@'));
    assert.match(json, /"auditKey":"\[redacted\]"/);
  });
});
