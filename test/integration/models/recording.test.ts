// Model calls and the store, on PostgreSQL and PGlite: record then replay without the network; keys never stored, logged or thrown.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { callKey, completionParams } from '../../../core/replay/call-key';
import { listCallRecords } from '../../../core/replay/call-record-rows';
import { createCallRecorder } from '../../../core/replay/call-recorder';
import { recordToolCall } from '../../../core/replay/tool-recording';
import { ModelCallError } from '../../../core/workforce/model-call-error';
import { describeStores } from '../../support/stores';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { captureLogger, harnesses, jsonRequest, providerFor, recordingClock, rejection, TEST_KEY } from './harness';

const root = path.join(__dirname, '..', '..', '..');
const openai = harnesses[0]!;
const FILE_KEY = 'sk-from-a-file-5b4a39c8d7e6f5a4b3c2';
const WRONG_KEY = 'sk-wrong-but-secret-all-the-same-77aa';

describeStores('model calls and the store', (ctx) => {
  describe('recording and replay', () => {
    let standIn: StandIn;
    before(async () => {
      standIn = await openai.start({ apiKey: TEST_KEY, models: ['stand-in-model'] });
    });
    beforeEach(() => standIn.reset());
    after(() => standIn.close());

    const recorderIn = (mode: 'record' | 'replay' | 'off') => createCallRecorder({ store: ctx.store, mode });
    const request = (topic: string) => ({ ...jsonRequest, messages: [...jsonRequest.messages, { role: 'user' as const, content: `Topic: ${topic} (${ctx.kind})` }] });

    it('replays a recorded answer identically, and the stand-in sees no call', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary":"recorded","files":["x.ts"]}', tokensIn: 50, tokensOut: 20 });
      const recorded = await providerFor(openai, standIn, { recorder: recorderIn('record') }).complete(request('identical'));
      assert.equal(standIn.calls.length, 1);

      standIn.reset();
      const replayer = recorderIn('replay');
      const replayed = await providerFor(openai, standIn, { recorder: replayer }).complete(request('identical'));
      assert.deepEqual(replayed, recorded);
      assert.equal(standIn.calls.length, 0);
      assert.deepEqual(replayer.stats(), { recorded: 0, replayed: 1, passedThrough: 0 });
    });

    it('keys a call by sha256 of canonical (provider, model, params): the same in another process, whatever the key order', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary":"k","files":[]}' });
      const req = request('cross-process');
      await providerFor(openai, standIn, { recorder: recorderIn('record') }).complete(req);
      const key = callKey({ provider: 'openai', model: 'stand-in-model', params: completionParams(req) });
      assert.equal((await listCallRecords(ctx.store, key)).length, 1);

      // Another process builds the same params with keys in another order (and a deadline, which is no param).
      const reordered = { maxTokens: req.maxTokens, temperature: req.temperature, jsonSchema: req.jsonSchema, messages: req.messages };
      const script = `const { callKey } = require(${JSON.stringify(path.join(root, 'core/replay/call-key.ts'))});
        process.stdout.write(callKey({ model: 'stand-in-model', params: JSON.parse(process.argv[1]), provider: 'openai' }));`;
      const fromChild = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script, JSON.stringify(reordered)], { cwd: root, encoding: 'utf8' });
      assert.equal(fromChild, key);
      assert.match(key, /^[0-9a-f]{64}$/);
    });

    it('refuses to replay a call that was never recorded, and does not call the network instead', async () => {
      const error = await rejection(() => providerFor(openai, standIn, { recorder: recorderIn('replay') }).complete(request('never recorded')));
      assert.equal(error.code, 'not_found');
      assert.match(error.message, /record it first/);
      assert.equal(standIn.calls.length, 0);
    });

    it('gives each repeat of the same call in a session its own recorded answer, and the last one after that', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary":"first","files":[]}' }, { kind: 'answer', text: '{"summary":"second","files":[]}' });
      const recordingProvider = providerFor(openai, standIn, { recorder: recorderIn('record') });
      await recordingProvider.complete(request('repeats'));
      await recordingProvider.complete(request('repeats'));

      standIn.reset();
      const replaying = providerFor(openai, standIn, { recorder: recorderIn('replay') });
      const summaries = [];
      for (let i = 0; i < 3; i++) summaries.push(JSON.parse((await replaying.complete(request('repeats'))).text).summary);
      assert.deepEqual(summaries, ['first', 'second', 'second']);
      assert.equal(standIn.calls.length, 0);
    });

    it('records a failed call and replays the same error', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary":"cut', finish: 'length', tokensIn: 10, tokensOut: 400 });
      const original = await rejection(() => providerFor(openai, standIn, { recorder: recorderIn('record') }).complete(request('failure')));

      standIn.reset();
      const replayed = await rejection(() => providerFor(openai, standIn, { recorder: recorderIn('replay') }).complete(request('failure')));
      assert.ok(replayed instanceof ModelCallError);
      assert.deepEqual(
        { code: replayed.code, reason: replayed.reason, message: replayed.message, retryable: replayed.retryable, details: replayed.details },
        { code: original.code, reason: original.reason, message: original.message, retryable: original.retryable, details: original.details },
      );
      assert.equal(standIn.calls.length, 0);
    });

    it('stores nothing in mode off', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary":"off","files":[]}' });
      const req = request('off');
      const recorder = recorderIn('off');
      await providerFor(openai, standIn, { recorder }).complete(req);
      const key = callKey({ provider: 'openai', model: 'stand-in-model', params: completionParams(req) });
      assert.deepEqual(await listCallRecords(ctx.store, key), []);
      assert.deepEqual(recorder.stats(), { recorded: 0, replayed: 0, passedThrough: 1 });
    });

    it('records a tool call and replays its result without running it', async () => {
      let runs = 0;
      const run = async () => {
        runs++;
        return { exitCode: 0, stdout: `built at run ${runs}\u0000with a NUL byte`, durationMs: 1234 };
      };
      const call = { tool: 'shell', args: { command: ['npm', 'test'], cwd: '/workspace', kind: ctx.kind } };
      const recorded = await recordToolCall(recorderIn('record'), call, run);
      const replayed = await recordToolCall(recorderIn('replay'), call, run);
      assert.deepEqual(replayed, recorded);
      assert.equal(runs, 1);
    });

    it('refuses a stored outcome that no longer matches what the call returns, as tampering', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary":"will be edited","files":[]}' });
      const req = request('tampered');
      await providerFor(openai, standIn, { recorder: recorderIn('record') }).complete(req);
      const key = callKey({ provider: 'openai', model: 'stand-in-model', params: completionParams(req) });
      await ctx.store.query(`UPDATE aura.call_records SET outcome_json = '{"ok":true,"value":{"text":42}}' WHERE key = $1`, [key]);
      const error = await rejection(() => providerFor(openai, standIn, { recorder: recorderIn('replay') }).complete(req));
      assert.equal(error.code, 'tampered');
    });
  });

  describe('API keys stay out of logs, records, events and errors', () => {
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
});
