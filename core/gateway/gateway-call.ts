// One model call through the gateway: token, endpoint, budget, the real key, the record (or its replay), then the meter.
import { performance } from 'node:perf_hooks';
import { toAuraError } from '../domain/errors';
import { callKey } from '../replay/call-key';
import { type Secret, resolveSecretRef, type SecretSources } from '../workforce/secret-ref';
import { type AttemptGrant, refuse, spendingOf } from './attempt-grant';
import { decodeExchange, encodeExchange, type Exchange, recordedExchangeSchema } from './exchange-record';
import { budgetRefusal } from './gateway-budget';
import type { GatewayMeter } from './gateway-meter';
import type { GatewayProtocol, GatewayRefusal } from './model-gateway';
import { type Endpoint, presentedToken, wireProtocols, withoutVolatile } from './wire-protocols';

/** A request as the listener received it, below the protocol's prefix (e.g. POST /v1/messages). */
export interface GatewayCall {
  protocol: GatewayProtocol;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

/** Where the call goes upstream: the URL and the headers to send (the real key among them). */
export interface UpstreamRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Removes the key from any text that leaves (an upstream error message, a connection error). */
  scrub(text: string): string;
}

/** What the listener does on the wire; the gateway decides which and when. */
export interface GatewayTransport {
  /** Sends the request upstream and passes the answer to the client as it arrives; resolves with all of it once it ends. */
  forward(upstream: UpstreamRequest): Promise<Exchange>;
  /** Sends a whole answer: a refusal, or an exchange served from the record. */
  send(exchange: Exchange): void;
}

export interface CallContext {
  find(token: string): AttemptGrant | undefined;
  live(): Iterable<AttemptGrant>;
  meter: GatewayMeter;
  secrets?: SecretSources;
}

/** Request headers never forwarded: the client's credentials (our token), hop-by-hop ones, and what we set ourselves. */
const dropped = new Set(['authorization', 'x-api-key', 'x-goog-api-key', 'api-key', 'host', 'connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'content-length', 'accept-encoding']);

export function errorExchange(protocol: GatewayProtocol, status: number, message: string): Exchange {
  const body = Buffer.from(JSON.stringify(wireProtocols[protocol].errorBody(status, message)));
  // x-should-retry: false keeps the agents' SDKs from retrying what no retry can fix.
  return { status, headers: { 'content-type': 'application/json', 'x-should-retry': 'false', 'content-length': String(body.length) }, body };
}

export async function handleGatewayCall(ctx: CallContext, call: GatewayCall, transport: GatewayTransport): Promise<void> {
  const { protocol } = call;
  const facts = wireProtocols[protocol];
  const fail = (status: number, message: string) => transport.send(errorExchange(protocol, status, message));
  const endpoint = facts.endpoint(call.method, call.path);
  if (!endpoint) return fail(404, `Aura gateway: ${call.method} ${call.path} is not a ${protocol} endpoint the gateway serves.`);
  const token = presentedToken(call.headers, call.query);
  if (!token) return fail(401, 'Aura gateway: no token. Send the gateway token this attempt was given as the API key.');
  const grant = ctx.find(token);
  if (!grant || grant.revoked) return fail(401, 'Aura gateway: unknown or revoked token (the attempt it was issued to has ended).');
  if (grant.refusal) return fail(grant.refusal.reason === 'replay_miss' ? 400 : 402, grant.refusal.message);
  // The call is in flight until it is metered and recorded: revoke() waits for it.
  const inFlight = authorisedCall(ctx, grant, call, endpoint, transport);
  grant.pending.add(inFlight);
  try {
    await inFlight;
  } finally {
    grant.pending.delete(inFlight);
  }
}

async function authorisedCall(ctx: CallContext, grant: AttemptGrant, call: GatewayCall, endpoint: Endpoint, transport: GatewayTransport): Promise<void> {
  const { protocol } = call;
  const facts = wireProtocols[protocol];
  const fail = (status: number, message: string) => transport.send(errorExchange(protocol, status, message));

  let parsed: unknown = undefined;
  if (call.body.length > 0) {
    try {
      parsed = JSON.parse(call.body.toString('utf8'));
    } catch {
      return fail(400, 'Aura gateway: the request body is not JSON.');
    }
  }
  const profile = grant.assignment.employee.profile;
  const body = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const model = endpoint.modelInPath ?? (typeof body.model === 'string' ? body.model : profile.model);
  const stream = endpoint.streamPath === true || body.stream === true;
  const where = { protocol, endpoint: call.path };

  if (endpoint.kind === 'generate') {
    // What the prompt alone would cost (about four bytes a token): a call that would cross a halting limit is not made.
    const estimate = (Math.ceil(call.body.length / 4) * profile.costTable.inputPerMTok) / 1e6;
    const refusal = budgetRefusal(grant.budget, spendingOf(grant, ctx.live(), estimate), 'before');
    if (refusal) return refuseCall(ctx, grant, where, refusal, transport);
  }

  let secret: Secret | undefined;
  try {
    secret = profile.apiKeyRef ? resolveSecretRef(profile.apiKeyRef, ctx.secrets) : undefined;
  } catch (error) {
    return fail(500, `Aura gateway: ${toAuraError(error).message}`);
  }
  const upstream = upstreamRequest(call, profile.baseUrl ?? facts.defaultUpstream, secret);
  const query = Object.fromEntries([...call.query.entries()].filter(([name]) => name !== 'key'));
  const params = { method: call.method, path: call.path, query, body: withoutVolatile(parsed ?? null, facts.volatileFields) };
  const recording = grant.recorder.mode !== 'off';
  const descriptor = { kind: 'model' as const, provider: `gateway:${protocol}`, model, params };
  const started = performance.now();
  let forwarded = false;
  // What reached the client from upstream: set once the answer has been passed on (it cannot be sent twice).
  let passed: Exchange | undefined;
  // Counted the moment the answer has ended, before it is recorded: the agent's next call must see this one's cost.
  const meter = (exchange: Exchange) =>
    ctx.meter.meter(grant, { ...where, endpointKind: endpoint.kind, model, stream, exchange, requestBytes: call.body.length, latencyMs: performance.now() - started, replayed: !forwarded, callKey: recording ? callKey(descriptor) : null });
  try {
    const recorded = await grant.recorder.call(
      descriptor,
      async () => {
        forwarded = true;
        passed = await transport.forward(upstream);
        meter(passed);
        return encodeExchange(passed);
      },
      { schema: recordedExchangeSchema },
    );
    if (!forwarded) {
      const exchange = decodeExchange(recorded);
      transport.send(exchange);
      meter(exchange);
    }
  } catch (error) {
    const aura = toAuraError(error);
    if (grant.recorder.mode === 'replay' && aura.code === 'not_found') {
      const key = typeof aura.details?.key === 'string' ? aura.details.key : callKey(descriptor);
      const refusal: GatewayRefusal = { reason: 'replay_miss', message: `Aura gateway (replay): this ${protocol} call (${model}) is not in the record, key ${key}. Nothing was sent upstream; record the attempt first.` };
      return refuseCall(ctx, grant, where, refusal, transport);
    }
    // The answer went out and was metered; only its record failed (logged by the caller).
    if (passed) throw error;
    // forward() rejects only before anything was sent (a stream cut later resolves with what passed).
    const exchange = errorExchange(protocol, 502, `Aura gateway: the upstream ${protocol} API could not be reached: ${upstream.scrub(aura.message)}`);
    transport.send(exchange);
    meter(exchange);
  }
}

function refuseCall(ctx: CallContext, grant: AttemptGrant, where: { protocol: GatewayProtocol; endpoint: string }, refusal: GatewayRefusal, transport: GatewayTransport): void {
  refuse(grant, refusal);
  transport.send(errorExchange(where.protocol, refusal.reason === 'replay_miss' ? 400 : 402, refusal.message));
  ctx.meter.refused(grant, where, refusal);
}

function upstreamRequest(call: GatewayCall, base: string, secret: Secret | undefined): UpstreamRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.headers)) {
    if (value === undefined || dropped.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // The answer is read (for usage) as it passes: ask for it uncompressed.
  headers['accept-encoding'] = 'identity';
  if (call.body.length > 0) headers['content-length'] = String(call.body.length);
  if (secret) {
    const [name, value] = wireProtocols[call.protocol].keyHeader(secret.reveal());
    headers[name] = value;
  }
  const query = new URLSearchParams([...call.query.entries()].filter(([name]) => name !== 'key'));
  // OpenAI's base URL (OPENAI_BASE_URL, the profile's baseUrl) already ends in /v1; the others' do not.
  const path = call.protocol === 'openai' ? call.path.replace(/^\/v1(?=\/)/, '') : call.path;
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return { url: `${base.replace(/\/+$/, '')}${path}${search}`, method: call.method, headers, body: call.body, scrub: (text) => (secret ? secret.scrub(text) : text) };
}
