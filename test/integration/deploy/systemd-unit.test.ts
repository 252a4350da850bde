// deploy/systemd/aura.service passes systemd-analyze verify and its offline security audit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');

/** The unit as installed on this machine: this node and this checkout in place of /usr/bin/node and /opt/aura. */
function installedCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-unit-'));
  const unit = fs.readFileSync(path.join(ROOT, 'deploy', 'systemd', 'aura.service'), 'utf8').replace('/usr/bin/node', process.execPath).replaceAll('/opt/aura', ROOT);
  fs.writeFileSync(path.join(dir, 'aura.service'), unit);
  return path.join(dir, 'aura.service');
}

describe('the systemd unit', function () {
  this.timeout(60_000);

  it('verifies with systemd-analyze, without a single warning', () => {
    const r = spawnSync('systemd-analyze', ['verify', installedCopy()], { encoding: 'utf8' });
    assert.equal(r.error, undefined, 'systemd-analyze runs (apt-get install systemd)');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim(), '');
  });

  it('is hardened: its own user, a read-only system, no new privileges, secrets from an environment file, restarts on failure', () => {
    const unit = fs.readFileSync(path.join(ROOT, 'deploy', 'systemd', 'aura.service'), 'utf8');
    for (const line of ['User=aura', 'ProtectSystem=strict', 'NoNewPrivileges=yes', 'EnvironmentFile=/etc/aura/aura.env', 'Restart=on-failure', 'CapabilityBoundingSet=']) {
      assert.ok(unit.split('\n').includes(line), line);
    }
    const r = spawnSync('systemd-analyze', ['security', '--offline=true', installedCopy()], { encoding: 'utf8' });
    const score = Number(/Overall exposure level for aura\.service: ([\d.]+)/.exec(r.stdout + r.stderr)?.[1]);
    assert.ok(score <= 2, `exposure ${score} (systemd's scale: 0 safest, 10 unprotected)`);
  });
});
