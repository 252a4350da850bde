// What a webhook subscription is: the events it may name, its receiver and format, checked with zod at every edge.
import { z } from 'zod';
import type { EventType } from '../events/catalog';
import { secretRefSchema } from '../workforce/employee';

/** The event stream notifications write to: a chain of their own, so deliveries never lengthen a run's or the system's. */
export const NOTIFICATIONS_STREAM = 'notifications';

/** The events a Director can be told about: each asks for attention, none is routine traffic. Migration 120's trigger names the same list. */
export const notifiableEventTypes = [
  'ApprovalRequested',
  'TaskDeadLettered',
  'RunCompleted',
  'RunFailed',
  'RunCancelled',
  'RunBlocked',
  'CostLimitExceeded',
  'AnomalyDetected',
  'QuestionEscalated',
] as const satisfies readonly EventType[];

export type NotifiableEventType = (typeof notifiableEventTypes)[number];

export const notificationFormats = ['json', 'slack'] as const;
export type NotificationFormat = (typeof notificationFormats)[number];

const parseUrl = (u: string): URL | null => (URL.canParse(u) ? new URL(u) : null);

const webhookUrl = z
  .string()
  .max(2000)
  .refine((u) => /^https?:$/.test(parseUrl(u)?.protocol ?? ''), 'expected an http:// or https:// address')
  .refine((u) => parseUrl(u)?.username === '' && parseUrl(u)?.password === '', 'credentials in the address are refused; use urlRef');

export const subscribeInputSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    format: z.enum(notificationFormats).default('json'),
    url: webhookUrl.optional().describe('the receiver’s address'),
    urlRef: secretRefSchema.optional().describe('env:NAME or file:/path holding the address (a Slack incoming webhook’s is a secret)'),
    secretRef: secretRefSchema.optional().describe('env:NAME or file:/path holding the HMAC key that signs each body'),
    eventTypes: z.array(z.enum(notifiableEventTypes)).min(1).max(notifiableEventTypes.length),
    runId: z.string().min(1).max(100).optional().describe('only this run’s events'),
  })
  .refine((s) => (s.url === undefined) !== (s.urlRef === undefined), { message: 'give exactly one of url and urlRef', path: ['url'] })
  .refine((s) => s.format === 'slack' || s.secretRef !== undefined, {
    message: 'a json webhook needs secretRef: every body is signed (only Slack, which checks no signature, may go without)',
    path: ['secretRef'],
  });

export type SubscribeInput = z.input<typeof subscribeInputSchema>;

export interface Subscription {
  id: string;
  name: string;
  format: NotificationFormat;
  /** The receiver's origin (never its path or query, which may carry a token), or the reference of its address. */
  target: string;
  secretRef: string | null;
  eventTypes: NotifiableEventType[];
  runId: string | null;
  createdBy: string;
  createdAt: string;
  removedAt: string | null;
}

export const deliveryStatuses = ['pending', 'sending', 'delivered', 'dead_letter', 'cancelled'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface Delivery {
  id: number;
  subscriptionId: string;
  eventId: number;
  eventType: string;
  runId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** The Idempotency-Key header every attempt of this delivery carries. */
  idempotencyKey: string;
}

/** Stable across retries and redeliveries of one event to one subscription, so a receiver can drop repeats. */
export const idempotencyKeyOf = (subscriptionId: string, eventId: number): string => `${subscriptionId}.${eventId}`;

/** What a receiver's address shows in lists and events: its origin, or the reference it is read from. */
export function targetOf(row: { url: string | null; url_ref: string | null }): string {
  return row.url_ref ?? new URL(row.url!).origin;
}
