// Token values, bearer parsing, the bind guard, the browser guards and the role pre-check.
import assert from 'node:assert/strict';
import { accessProblem } from '../../../mcp-server/auth/access';
import { assertBindAllowed, isLoopbackHost } from '../../../mcp-server/auth/bind-guard';
import { actorOf, localDirector, type Principal, type Role } from '../../../mcp-server/auth/roles';
import { bearerToken, generateTokenSecret, hashTokenSecret, looksLikeToken } from '../../../mcp-server/auth/token-secret';
import { hostAllowed, originAllowed } from '../../../mcp-server/mcp/http/request-guards';
import { parseToolSelection, selects } from '../../../mcp-server/mcp/tool-sets';

const viewer: Principal = { role: 'viewer', tokenId: 'tok_1', name: 'ci', employeeId: null, workspaceId: 'default' };
const employee: Principal = { role: 'employee', tokenId: 'tok_2', name: 'agent', employeeId: 'emp_1', workspaceId: 'default' };

describe('token secrets', () => {
  it('are long, random, recognisable, and hashed to 64 hex characters', () => {
    const a = generateTokenSecret();
    const b = generateTokenSecret();
    assert.notEqual(a, b);
    assert.ok(looksLikeToken(a));
    assert.match(hashTokenSecret(a), /^[0-9a-f]{64}$/);
    assert.ok(!looksLikeToken('aura_short'));
  });

  it('are read from a Bearer header only', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc');
    assert.equal(bearerToken('bearer   abc  '), 'abc');
    assert.equal(bearerToken('Basic abc'), undefined);
    assert.equal(bearerToken('Bearer a b'), undefined);
    assert.equal(bearerToken(undefined), undefined);
  });
});

describe('actors', () => {
  it('name the role and the token, or the employee', () => {
    assert.equal(actorOf(localDirector), 'director:local');
    assert.equal(actorOf(viewer), 'viewer:ci#tok_1');
    assert.equal(actorOf(employee), 'employee:emp_1');
  });
});

describe('bind guard', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['0.0.0.0', '10.0.0.1', '::', 'example.com']) assert.ok(!isLoopbackHost(h), h);
  });

  it('refuses a non-loopback bind while no token exists, and allows it once one does', () => {
    assert.throws(() => assertBindAllowed('0.0.0.0', 0, 'AURA_HOST'), /Refusing to serve MCP on 0\.0\.0\.0.*aura tokens create.*AURA_HOST=127\.0\.0\.1/);
    assert.doesNotThrow(() => assertBindAllowed('0.0.0.0', 1, 'AURA_HOST'));
    assert.doesNotThrow(() => assertBindAllowed('127.0.0.1', 0, 'AURA_HOST'));
  });
});

describe('browser guards', () => {
  it('on a loopback bind accept only loopback Host names (DNS rebinding)', () => {
    assert.ok(hostAllowed('127.0.0.1:9000', true));
    assert.ok(hostAllowed('localhost:9000', true));
    assert.ok(hostAllowed('[::1]:9000', true));
    assert.ok(!hostAllowed('evil.example:9000', true));
    assert.ok(!hostAllowed(undefined, true));
    assert.ok(hostAllowed('evil.example:9000', false));
  });

  it('let requests without Origin through and browsers only from allowed origins', () => {
    const allowed = new Set(['http://127.0.0.1:5173']);
    assert.ok(originAllowed(undefined, allowed));
    assert.ok(originAllowed('http://127.0.0.1:5173', allowed));
    assert.ok(!originAllowed('http://evil.example', allowed));
  });
});

describe('role pre-check', () => {
  const table = new Map<string, readonly Role[]>([
    ['approve', ['director']],
    ['get_run', ['director', 'operator', 'viewer']],
    ['get_assignment', ['employee']],
  ]);

  it('refuses a tool the role may not call and allows one it may', () => {
    assert.match(accessProblem({ method: 'tools/call', params: { name: 'approve' } }, viewer, table)!, /viewer role may not call approve; it needs director/);
    assert.equal(accessProblem({ method: 'tools/call', params: { name: 'get_run' } }, viewer, table), undefined);
  });

  it('leaves unknown tools to the session, which answers InvalidParams', () => {
    assert.equal(accessProblem({ method: 'tools/call', params: { name: 'nope' } }, viewer, table), undefined);
  });

  it('keeps an employee token to its channel: no resources, no prompts', () => {
    assert.match(accessProblem({ method: 'resources/read', params: { uri: 'aura://employees' } }, employee, table)!, /may not use resources\/read/);
    assert.match(accessProblem({ method: 'tools/call', params: { name: 'get_run' } }, employee, table)!, /employee role may not call get_run/);
    assert.equal(accessProblem({ method: 'tools/call', params: { name: 'get_assignment' } }, employee, table), undefined);
  });
});

describe('tool selection', () => {
  it('parses full, core and explicit lists, and reports unknown names', () => {
    assert.ok(selects(parseToolSelection('full', [], 'X'), 'anything'));
    const core = parseToolSelection('core', [], 'X');
    assert.ok(selects(core, 'get_run'));
    assert.ok(!selects(core, 'cleanup_retention'));
    const list = parseToolSelection('get_run, list_runs', ['get_run', 'list_runs'], 'X');
    assert.ok(selects(list, 'list_runs') && !selects(list, 'approve'));
    assert.throws(() => parseToolSelection('get_run,bogus', ['get_run'], 'AURA_MCP_TOOLS'), /AURA_MCP_TOOLS: unknown tool name\(s\) bogus/);
  });
});
