// Builds an event log over a test store with a fixed test key.
import { createAuditSigner } from '../../core/events/chain';
import { createEventLog, type EventLog } from '../../core/events/event-log';
import type { Clock } from '../../core/domain/clock';
import type { Store } from '../../core/store/store';

export const TEST_AUDIT_KEY = 'test-audit-key-0123456789abcdef';

export function testEventLog(store: Store, clock?: Clock): EventLog {
  return createEventLog({ store, signer: createAuditSigner(TEST_AUDIT_KEY), clock });
}
