// The closed catalog of event types: one zod schema per type, checked on write and on read-back.
import { z } from 'zod';
import { AuraError, describeIssues } from '../domain/errors';
import { gatewayEvents } from './types/gateway-events';
import { backupEvents } from './types/backup-events';
import { chatEvents } from './types/chat-events';
import { governanceEvents } from './types/governance-events';
import { integrationEvents } from './types/integration-events';
import { mcpEvents } from './types/mcp-events';
import { notificationEvents } from './types/notification-events';
import { replayEvents } from './types/replay-events';
import { memoryEvents } from './types/memory-events';
import { runEvents } from './types/run-events';
import { systemEvents } from './types/system-events';
import { taskEvents } from './types/task-events';
import { templateEvents } from './types/template-events';
import { tenancyEvents } from './types/tenancy-events';
import { workforceEvents } from './types/workforce-events';

export const eventCatalog = {
  ...runEvents,
  ...taskEvents,
  ...workforceEvents,
  ...governanceEvents,
  ...gatewayEvents,
  ...systemEvents,
  ...mcpEvents,
  ...notificationEvents,
  ...templateEvents,
  ...backupEvents,
  ...replayEvents,
  ...memoryEvents,
  ...chatEvents,
  ...integrationEvents,
  ...tenancyEvents,
} as const;

export type EventCatalog = typeof eventCatalog;
export type EventType = keyof EventCatalog;
export type EventPayload<T extends EventType> = z.infer<EventCatalog[T]>;

export const eventTypes = Object.keys(eventCatalog) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(eventCatalog, value);
}

/** Validates a payload against its type's schema; `where` says whether it is being written or read back. */
export function parsePayload<T extends EventType>(type: string, payload: unknown, where: 'write' | 'read'): EventPayload<T> {
  if (!isEventType(type)) throw new AuraError(where === 'write' ? 'invalid_input' : 'tampered', `Unknown event type "${type}".`);
  const result = eventCatalog[type].safeParse(payload);
  if (!result.success) {
    const message = `${type} payload is invalid: ${describeIssues(result.error.issues)}`;
    throw new AuraError(where === 'write' ? 'invalid_input' : 'tampered', where === 'write' ? message : `Stored event failed validation: ${message}`);
  }
  return result.data as EventPayload<T>;
}
