// Notification tools: the Director's webhook subscriptions, their deliveries (the dead-letter list) and redelivery.
import { z } from 'zod';
import { deliveryStatuses, notifiableEventTypes, notificationFormats, subscribeInputSchema } from '../../../core/notifications/subscription-schema';
import { DIRECTOR_ONLY, OPERATORS } from '../../auth/roles';
import { id, limit } from '../input-limits';
import type { McpServices } from '../services';
import { ADDITIVE, defineTool, DESTRUCTIVE, IDEMPOTENT_CHANGE, READ_ONLY, type ToolDefinition } from '../tool-definition';

const subscriptionSchema = z.object({
  id: z.string(),
  name: z.string(),
  format: z.enum(notificationFormats),
  target: z.string().describe('the receiver’s origin, or the reference its address is read from'),
  secretRef: z.string().nullable(),
  eventTypes: z.array(z.enum(notifiableEventTypes)),
  runId: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  removedAt: z.string().nullable(),
});

const deliverySchema = z.object({
  id: z.number().int(),
  subscriptionId: z.string(),
  eventId: z.number().int(),
  eventType: z.string(),
  runId: z.string().nullable(),
  status: z.enum(deliveryStatuses),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastStatus: z.number().int().nullable().describe('the receiver’s last HTTP status; null when none answered'),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  idempotencyKey: z.string(),
});

const subscriptionId = id('subscription');
const network = { openWorldHint: true } as const;

export function notificationsTools(services: McpServices): ToolDefinition[] {
  const notifications = services.notifications;
  if (!notifications) return [];
  return [
    defineTool({
      name: 'subscribe_webhook',
      title: 'Subscribe a webhook',
      group: 'notifications',
      description:
        'Sends the chosen events to a webhook as signed JSON (X-Aura-Signature: HMAC-SHA256 of "timestamp.body" with the key secretRef names) ' +
        'or as a Slack message; retried with backoff under a stable Idempotency-Key.',
      roles: DIRECTOR_ONLY,
      input: subscribeInputSchema,
      output: z.object({ subscription: subscriptionSchema }),
      annotations: { ...ADDITIVE, ...network },
      run: async (args, { actor }) => ({ subscription: await notifications.subscribe(args, actor) }),
    }),
    defineTool({
      name: 'list_webhooks',
      title: 'List webhook subscriptions',
      group: 'notifications',
      description: 'The webhook subscriptions (receivers shown by origin or reference, never a full address or a key).',
      roles: OPERATORS,
      input: z.strictObject({ includeRemoved: z.boolean().default(false) }),
      output: z.object({ subscriptions: z.array(subscriptionSchema) }),
      annotations: READ_ONLY,
      run: async (args) => ({ subscriptions: await notifications.list(args) }),
    }),
    defineTool({
      name: 'remove_webhook',
      title: 'Remove a webhook subscription',
      group: 'notifications',
      description: 'Stops sending to a subscription; its deliveries still waiting are cancelled, its dead letters kept.',
      roles: DIRECTOR_ONLY,
      input: z.strictObject({ subscriptionId }),
      output: z.object({ subscription: subscriptionSchema }),
      annotations: DESTRUCTIVE,
      run: async (args, { actor }) => ({ subscription: await notifications.unsubscribe(args.subscriptionId, actor) }),
    }),
    defineTool({
      name: 'list_webhook_deliveries',
      title: 'List webhook deliveries',
      group: 'notifications',
      description: 'Deliveries, newest first; status "dead_letter" is the list of those that kept failing (redeliver_webhook sends one again).',
      roles: OPERATORS,
      input: z.strictObject({ status: z.enum(deliveryStatuses).optional(), subscriptionId: subscriptionId.optional(), runId: id('run').optional(), limit: limit(500, 50) }),
      output: z.object({ deliveries: z.array(deliverySchema) }),
      annotations: READ_ONLY,
      run: async (args) => ({ deliveries: await notifications.deliveries(args) }),
    }),
    defineTool({
      name: 'redeliver_webhook',
      title: 'Redeliver a dead letter',
      group: 'notifications',
      description: 'Sends a dead-lettered delivery again from its first attempt, with the same Idempotency-Key.',
      roles: DIRECTOR_ONLY,
      input: z.strictObject({ deliveryId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
      output: z.object({ delivery: deliverySchema }),
      annotations: { ...IDEMPOTENT_CHANGE, idempotentHint: false, ...network },
      run: async (args, { actor }) => ({ delivery: await notifications.redeliver(args.deliveryId, actor) }),
    }),
  ];
}
