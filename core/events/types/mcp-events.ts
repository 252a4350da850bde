// Event types of the MCP surface: bearer tokens created and revoked (never the token itself).
import { z } from 'zod';

export const mcpEvents = {
  TokenCreated: z.object({
    tokenId: z.string(),
    name: z.string(),
    role: z.enum(['director', 'operator', 'viewer', 'employee']),
    employeeId: z.string().nullable(),
    expiresAt: z.string().nullable(),
    /** The team workspace the token is scoped to; absent on tokens from before workspaces. */
    workspaceId: z.string().optional(),
  }),
  TokenRevoked: z.object({ tokenId: z.string(), reason: z.string() }),
} as const;
