// The model gateway port: a CLI agent's own model calls go through the host, which holds the key, meters, budgets and records them.
import { AuraError } from '../domain/errors';
import type { Assignment } from '../workforce/worker';

/** The provider wire protocols the gateway speaks, one base URL each. */
export const gatewayProtocols = ['anthropic', 'openai', 'gemini'] as const;
export type GatewayProtocol = (typeof gatewayProtocols)[number];

/** Where a Director usually keeps each protocol's key: the apiKeyRef an agent employee gets when its hire names none. */
export const protocolKeyVariables: Readonly<Record<GatewayProtocol, string>> = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY', gemini: 'GEMINI_API_KEY' };

/** What one attempt's calls have used so far (the attempt's telemetry comes from here). */
export interface GatewayUsage {
  calls: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  /** Models named by the calls, in first-seen order. */
  models: string[];
}

/** Why the gateway refused a call: the agent saw this as an error response, and the attempt ends with it. */
export interface GatewayRefusal {
  reason: 'budget_exceeded' | 'call_cap' | 'replay_miss';
  message: string;
}

/**
 * One attempt's access to the gateway. The container gets only `token` and `baseUrls`, never the employee's key:
 * the gateway checks the token, injects the key from the employee's apiKeyRef, forwards, and records the call.
 */
export interface GatewayGrant {
  /** A per-attempt bearer token (random, valid until revoked); the agent presents it as its API key. */
  readonly token: string;
  /** The base URL the container reaches the gateway at, per protocol (as each agent's base URL setting reads it). */
  readonly baseUrls: Readonly<Record<GatewayProtocol, string>>;
  usage(): GatewayUsage;
  /** The first refusal of this attempt, or null. */
  refusal(): GatewayRefusal | null;
  /** Called once when a call is refused over budget or cap (the worker stops the attempt). */
  onRefusal(listener: (refusal: GatewayRefusal) => void): () => void;
  /** Ends the grant: later calls with its token are refused as unauthorised. Idempotent. */
  revoke(): Promise<void>;
}

export interface ModelGateway {
  /** Opens access for one attempt of a CLI-agent employee (its profile names the upstream and apiKeyRef). */
  grant(assignment: Assignment): Promise<GatewayGrant>;
}

/**
 * The error a worker ends its attempt with when the gateway refused a call: over budget or cap is `budget_exceeded`
 * (not retryable: another try would spend again), a replay miss `not_found`.
 */
export function refusalError(refusal: GatewayRefusal): AuraError {
  return new AuraError(refusal.reason === 'replay_miss' ? 'not_found' : 'budget_exceeded', refusal.message, { retryable: false, details: { reason: refusal.reason } });
}
