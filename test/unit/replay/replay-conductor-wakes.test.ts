// The replay conductor is woken by the events of replay runs only: another run's stream is looked up once and
// remembered, so a busy queue's appends cost it nothing.
import assert from 'node:assert/strict';
import { systemClock } from '../../../core/domain/clock';
import { createSilentLogger } from '../../../core/observability/logger';
import { createReplayConductor } from '../../../core/replay/replay-conductor';
import type { EventLog } from '../../../core/events/event-log';
import type { QueryResult, Store } from '../../../core/store/store';

function fakeStore(replays: ReadonlySet<string>) {
  const sent: string[] = [];
  let onEvent: ((payload: string) => void) | undefined;
  const query = async <R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    sent.push(sql.replace(/\s+/g, ' ').trim());
    if (sql.includes('replay_of IS NOT NULL AND') || !sql.includes('id = ANY')) return { rows: [], rowCount: 0 };
    const ids = (params?.[0] as string[]).filter((id) => replays.has(id));
    return { rows: ids.map((id) => ({ id })) as R[], rowCount: ids.length };
  };
  const store = {
    kind: 'postgres',
    query,
    exec: async () => undefined,
    transaction: async () => assert.fail('no transaction expected'),
    listen: async (_channel: string, fn: (payload: string) => void) => {
      onEvent = fn;
      return async () => undefined;
    },
    ping: async () => true,
    close: async () => undefined,
  } as unknown as Store;
  return { store, sent, emit: (stream: string) => onEvent!(stream) };
}

const settle = () => new Promise((r) => setTimeout(r, 30));
const passes = (sent: string[]) => sent.filter((s) => s.startsWith('SELECT a.id, a.run_id, r.replay_of')).length;
const lookups = (sent: string[]) => sent.filter((s) => s.startsWith('SELECT id FROM aura.runs WHERE id = ANY')).length;

describe('replay conductor wake-ups', () => {
  it('looks a stream up once, ignores the events of runs that are not replays, and wakes for a replay run', async () => {
    const fake = fakeStore(new Set(['run_replay']));
    const conductor = createReplayConductor({ store: fake.store, events: {} as EventLog, clock: systemClock, logger: createSilentLogger(), resolveApproval: async () => undefined, pollMs: 60_000 });
    await conductor.start();
    await settle();
    assert.equal(passes(fake.sent), 1, 'one pass at start');
    for (let i = 0; i < 20; i++) fake.emit('run_plain');
    fake.emit('system');
    await settle();
    for (let i = 0; i < 20; i++) fake.emit('run_plain');
    await settle();
    assert.equal(passes(fake.sent), 1, 'no pass for events of runs that are not replays');
    assert.ok(lookups(fake.sent) <= 2, `looked streams up ${lookups(fake.sent)} times`);
    const before = lookups(fake.sent);
    fake.emit('run_replay');
    await settle();
    assert.equal(passes(fake.sent), 2, 'a replay run\'s event wakes it');
    fake.emit('run_replay');
    await settle();
    assert.equal(passes(fake.sent), 3);
    assert.equal(lookups(fake.sent), before + 1, 'the replay run was looked up once');
    await conductor.stop();
  });
});
