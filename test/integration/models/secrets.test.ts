// The API key reaches the provider and nothing else: not the logs, not the record, not the event log, not any error.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { createCallRecorder } from '../../../core/replay/call-recorder';
import { describeStores } from '../../support/stores';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { captureLogger, harnesses, jsonRequest, providerFor, recordingClock } from './harness';

const FILE_KEY = 'sk-from-a-file-5b4a39c8d7e6f5a4b3c2';
const WRONG_KEY = 'sk-wrong-but-secret-all-the-same-77aa';

describeStores('API keys stay out of logs, records, events and errors', (ctx) => {
  let secretFile: string;
  before(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-secret-'));
    secretFile = path.join(dir, 'provider.key');
    fs.writeFileSync(secretFile, `${FILE_KEY}\n`, { mode: 0o600 });
  });
  after(() => fs.rmSync(path.dirname(secretFile), { recursive: true, force: true }));

  for (const harness of harnesses) {
    it(`${harness.provider}: through success, retries, failures and a refused key`, async () => {
      const standIn: StandIn = await harness.start({ apiKey: FILE_KEY, models: ['stand-in-model'] });
      try {
        const { logger, lines } = captureLogger();
        const recorder = createCallRecorder({ store: ctx.store, mode: 'record', logger });
        const deps = { logger, recorder, clock: recordingClock() };
        const viaFile = providerFor(harness, standIn, deps, { apiKeyRef: `file:${secretFile}` });
        const thrown: unknown[] = [];
        const attempt = async (fn: () => Promise<unknown>) => {
          try {
            await fn();
          } catch (error) {
            thrown.push(error);
          }
        };
        const ask = (note: string) => ({ ...jsonRequest, messages: [...jsonRequest.messages, { role: 'user' as const, content: `${note} ${ctx.kind}` }] });

        standIn.enqueue(
          { kind: 'answer', text: '{"summary":"ok","files":[]}' },
          { kind: 'error', status: 429, retryAfter: '1' },
          { kind: 'answer', text: '{"summary":"after a retry","files":[]}' },
          { kind: 'error', status: 500 },
          { kind: 'error', status: 500 },
          { kind: 'error', status: 500 },
          { kind: 'garbage' },
          { kind: 'answer', text: 'not json' },
        );
        await attempt(() => viaFile.complete(ask('success')));
        await attempt(() => viaFile.complete(ask('rate limited')));
        await attempt(() => viaFile.complete(ask('server errors')));
        await attempt(() => viaFile.complete(ask('garbage')));
        await attempt(() => viaFile.complete(ask('prose')));
        const viaWrongEnv = providerFor(harness, standIn, { ...deps, secrets: { env: { STAND_IN_API_KEY: WRONG_KEY } } });
        await attempt(() => viaWrongEnv.complete(ask('refused key')));

        // The keys were really used: the stand-in received both on the wire.
        const onWire = JSON.stringify(standIn.calls.map((c) => c.headers));
        assert.ok(onWire.includes(FILE_KEY) && onWire.includes(WRONG_KEY), 'both keys went to the provider');
        assert.equal(thrown.length, 4, 'server errors, garbage, prose and the refused key failed');

        const records = await ctx.store.query('SELECT * FROM aura.call_records');
        const events = await ctx.store.query('SELECT * FROM aura.events');
        const places = {
          logs: lines.join('\n'),
          errors: thrown.map((e) => `${inspect(e, { depth: 10, showHidden: true })}\n${JSON.stringify(e)}\n${(e as Error).stack}`).join('\n'),
          records: JSON.stringify(records.rows),
          events: JSON.stringify(events.rows),
        };
        assert.ok(lines.length > 0 && records.rows.length > 0, 'there was something to search');
        for (const [place, text] of Object.entries(places)) {
          for (const key of [FILE_KEY, WRONG_KEY]) assert.ok(!text.includes(key), `the key appears in ${place}`);
        }
      } finally {
        await standIn.close();
      }
    });
  }
});
