// The webview ⇄ extension message union: what passes, and what is refused with a reason.
import assert from 'node:assert/strict';
import { parseMessage, toHostSchema, toWebviewSchema } from '../../../webview-ui/protocol/messages';

describe('webview messages', () => {
  it('accepts a tool call from the webview', () => {
    const r = parseMessage(toHostSchema, { type: 'call', id: 3, tool: 'get_run', args: { runId: 'r1' } });
    assert.ok(r.ok);
    assert.equal(r.ok && r.message.type, 'call');
  });

  it('refuses a tool name that is not snake_case', () => {
    const r = parseMessage(toHostSchema, { type: 'call', id: 1, tool: 'getRun; rm -rf', args: {} });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /tool/);
  });

  it('refuses a message of an unknown type', () => {
    assert.equal(parseMessage(toHostSchema, { type: 'eval', code: 'x' }).ok, false);
  });

  it('refuses a subscription to something other than an aura:// resource', () => {
    assert.equal(parseMessage(toHostSchema, { type: 'subscribe', uri: 'file:///etc/passwd' }).ok, false);
    assert.equal(parseMessage(toHostSchema, { type: 'subscribe', uri: 'aura://runs/r1' }).ok, true);
  });

  it('refuses a route to a page the dashboard does not have', () => {
    assert.equal(parseMessage(toHostSchema, { type: 'route', route: { view: 'settings' } }).ok, false);
  });

  it('accepts both outcomes of a result and refuses a result without ok', () => {
    assert.ok(parseMessage(toWebviewSchema, { type: 'result', id: 1, ok: true, data: { runs: [] } }).ok);
    assert.ok(parseMessage(toWebviewSchema, { type: 'result', id: 1, ok: false, error: 'no' }).ok);
    assert.equal(parseMessage(toWebviewSchema, { type: 'result', id: 1, data: {} }).ok, false);
  });

  it('refuses a negative or fractional request id', () => {
    assert.equal(parseMessage(toHostSchema, { type: 'read', id: -1, uri: 'aura://employees' }).ok, false);
    assert.equal(parseMessage(toHostSchema, { type: 'read', id: 1.5, uri: 'aura://employees' }).ok, false);
  });
});
