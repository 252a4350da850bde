// AURA_RECORDING: every call is recorded unless the operator says otherwise; a bad value names the variable.
import assert from 'node:assert/strict';
import { loadConfig } from '../../../core/config/config';

describe('AURA_RECORDING', () => {
  it('defaults to record, and takes replay or off', () => {
    assert.equal(loadConfig({}, '/srv').recording, 'record');
    assert.equal(loadConfig({ AURA_RECORDING: 'replay' }, '/srv').recording, 'replay');
    assert.equal(loadConfig({ AURA_RECORDING: 'off' }, '/srv').recording, 'off');
  });

  it('refuses anything else, naming the variable and the choices', () => {
    assert.throws(() => loadConfig({ AURA_RECORDING: 'sometimes' }, '/srv'), /AURA_RECORDING="sometimes": expected record, replay or off/);
  });
});
