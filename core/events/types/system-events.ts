// Event types of the system itself: audit keys, server lifecycle, Managers that died.
import { z } from 'zod';

export const systemEvents = {
  AuditKeyGenerated: z.object({ location: z.string() }),
  /** A Manager's liveness lock was freed (it died, or lost its database session for good): its attempts were taken over and its containers removed. */
  ManagerGone: z.object({ owner: z.string(), host: z.string(), pid: z.number().int(), registeredAt: z.string(), tasksTakenOver: z.number().int().nonnegative(), containersRemoved: z.number().int().nonnegative() }),
} as const;
