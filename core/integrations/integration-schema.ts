// The integrations' shapes: a connector configuration, its input, a call and its statuses.
import { z } from 'zod';
import { secretRefSchema } from '../workforce/employee';
import { connectorKinds, type ConnectorKind } from './connector';

/** The workspace every connector belongs to until team workspaces exist. */
export const DEFAULT_WORKSPACE = 'default';
/** The stream integration events go to when a call is for no run. */
export const INTEGRATIONS_STREAM = 'integrations';

function parsedUrl(u: string): URL | null {
  try {
    return new URL(u);
  } catch {
    return null;
  }
}

const name = z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected letters, digits, "_", "." or "-"');
const workspaceId = z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'expected a workspace id');

export const configureInputSchema = z.strictObject({
  workspaceId: workspaceId.default(DEFAULT_WORKSPACE),
  name,
  kind: z.enum(connectorKinds),
  baseUrl: z
    .string()
    .url()
    .max(500)
    // Refinements run after a failed check too: a string that is no URL must not throw here.
    .refine((u) => /^https?:$/.test(parsedUrl(u)?.protocol ?? 'http:'), 'expected an http(s) URL')
    .refine((u) => !parsedUrl(u)?.username && !parsedUrl(u)?.password, 'a base URL carries no credentials: give them as credentialRef'),
  credentialRef: secretRefSchema,
  settings: z.record(z.string(), z.unknown()).default({}),
  ratePerSecond: z.number().positive().max(1000).default(5),
  burst: z.number().int().min(1).max(1000).default(10),
});
export type ConfigureInput = z.input<typeof configureInputSchema>;

export interface ConnectorConfig {
  id: string;
  workspaceId: string;
  name: string;
  kind: ConnectorKind;
  baseUrl: string;
  credentialRef: string;
  settings: Record<string, unknown>;
  ratePerSecond: number;
  burst: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export const callStatuses = ['pending_approval', 'approved', 'running', 'succeeded', 'failed', 'rejected'] as const;
export type CallStatus = (typeof callStatuses)[number];

export const callInputSchema = z.strictObject({
  workspaceId: workspaceId.default(DEFAULT_WORKSPACE),
  connector: name.describe('the connector’s name in its workspace'),
  method: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
  runId: z.string().min(1).max(100).optional(),
  /** Two calls with one key are one call; default: the method's dedup key (its params). */
  idempotencyKey: z.string().min(1).max(200).optional(),
  reason: z.string().min(1).max(500).optional(),
});
export type CallInput = z.input<typeof callInputSchema>;

export interface IntegrationCall {
  id: string;
  connectorId: string;
  workspaceId: string;
  method: string;
  write: boolean;
  params: Record<string, unknown>;
  idempotencyKey: string;
  runId: string | null;
  status: CallStatus;
  reason: string;
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  note: string | null;
  /** Times the call was started: a read once; a write once per claim (a second when its Manager died mid-call). */
  attempts: number;
  result: unknown;
  error: string | null;
  finishedAt: Date | null;
}

/** The origin of a base URL: what events and lists show. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
