// Event types of notifications: webhook subscriptions and what became of each delivery (never a secret or a full URL).
import { z } from 'zod';

const delivery = {
  deliveryId: z.number().int().positive(),
  subscriptionId: z.string(),
  eventId: z.number().int().positive(),
  eventType: z.string(),
};

export const notificationEvents = {
  NotificationSubscribed: z.object({
    subscriptionId: z.string(),
    name: z.string(),
    format: z.enum(['json', 'slack']),
    /** The receiver's origin, or the reference its address is read from. */
    target: z.string(),
    eventTypes: z.array(z.string()).min(1),
    runId: z.string().nullable(),
    secretRef: z.string().nullable(),
  }),
  NotificationUnsubscribed: z.object({ subscriptionId: z.string(), cancelledDeliveries: z.number().int().nonnegative() }),
  NotificationDelivered: z.object({ ...delivery, attempt: z.number().int().positive(), status: z.number().int() }),
  NotificationFailed: z.object({
    ...delivery,
    attempt: z.number().int().positive(),
    status: z.number().int().nullable(),
    error: z.string(),
    retryAt: z.string().nullable(),
  }),
  NotificationDeadLettered: z.object({ ...delivery, attempts: z.number().int().positive(), error: z.string() }),
  NotificationRedelivered: z.object({ ...delivery }),
} as const;
