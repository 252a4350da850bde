// The connector port: one interface to an external system (`call(method, params)`, `health()`), and its method catalog.
import type { z } from 'zod';
import type { Secret } from '../workforce/secret-ref';

export const connectorKinds = ['jira', 'slack', 'github'] as const;
export type ConnectorKind = (typeof connectorKinds)[number];

/** One method a connector offers: whether it changes the external system, and its params' schema. */
export interface ConnectorMethod<P = unknown> {
  /** A write is held for the Director's approval before it runs (and then runs once). */
  write: boolean;
  description: string;
  params: z.ZodType<P>;
  /**
   * The key two calls are the same logical call under (a Slack message's channel, thread and text): a second call with
   * it returns the first call instead of running again. Default: the canonical params.
   */
  dedupKey?: (params: P) => unknown;
}

export type MethodCatalog = Readonly<Record<string, ConnectorMethod<any>>>;

export interface HealthReport {
  ok: boolean;
  /** Who the credential speaks as, or what the system said, when it answered. */
  detail: string;
}

/** What a call carries besides its params: the run it is for (the GitHub connector pushes that run's branch). */
export interface CallContext {
  runId: string | null;
  /** Stable per logical call; connectors hand it to systems that take one. */
  idempotencyKey: string;
  signal?: AbortSignal;
}

export interface Connector {
  readonly kind: ConnectorKind;
  /** Runs one method once (no retries, no limits: the port's wrapper adds those). Throws IntegrationCallError. */
  call(method: string, params: unknown, context: CallContext): Promise<unknown>;
  health(): Promise<HealthReport>;
}

/** What an adapter builds a connector from: the configuration, and its credential resolved for this call. */
export interface ConnectorSpec {
  kind: ConnectorKind;
  baseUrl: string;
  settings: Record<string, unknown>;
  credential: Secret;
  timeoutMs: number;
}

/** The adapters' side: builds a connector of a kind for one call (its catalog and settings are core's, in catalogs.ts). */
export interface ConnectorFactory {
  open(spec: ConnectorSpec): Connector;
}
