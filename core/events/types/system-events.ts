// Event types of the system itself: audit keys, server lifecycle.
import { z } from 'zod';

export const systemEvents = {
  AuditKeyGenerated: z.object({ location: z.string() }),
} as const;
