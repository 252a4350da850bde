// Who asks governance for something: the actor recorded on events, and the role that decides what is allowed.
import { AuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';

export interface Requester {
  /** Recorded on every event the request causes: `director:local`, `employee:emp_…`, `manager`, ... */
  actor: string;
  role: 'director' | 'operator' | 'viewer' | 'employee' | 'manager' | 'system';
}

/** Refuses (and records the refusal of) anything but the Director. */
export async function requireDirector(events: EventLog, requester: Requester, request: string): Promise<void> {
  if (requester.role === 'director') return;
  const reason = `${request} is for the Director only; ${requester.actor} (${requester.role}) may not do it.`;
  await events.append({ type: 'GovernanceRequestRefused', actor: requester.actor, payload: { request, requestedBy: requester.actor, reason } });
  throw new AuraError('forbidden', reason);
}
