// The MCP token table: create (returns the secret once), list, revoke, and look a secret up by its hash.
import { z } from 'zod';
import { AuraError } from '../../core/domain/errors';
import { newId } from '../../core/domain/ids';
import type { EventLog } from '../../core/events/event-log';
import type { Store } from '../../core/store/store';
import { DEFAULT_WORKSPACE, workspaceIdSchema } from '../../core/tenancy/workspace';
import { type Principal, type Role, roles } from './roles';
import { generateTokenSecret, hashTokenSecret } from './token-secret';

interface TokenRow {
  id: string;
  name: string;
  role: string;
  employee_id: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  workspace_id: string;
}

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  employeeId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  workspaceId: string;
}

const columns = 'id, name, role, employee_id, created_at, expires_at, revoked_at, workspace_id';

function toInfo(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: z.enum(roles).parse(row.role),
    employeeId: row.employee_id,
    createdAt: new Date(row.created_at),
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
    workspaceId: row.workspace_id,
  };
}

export const createTokenSchema = z
  .object({
    role: z.enum(roles),
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected 1-64 letters, digits, ".", "_" or "-"'),
    employeeId: z.string().min(1).max(100).optional(),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    /** The team workspace the token is scoped to ('default' when omitted). */
    workspaceId: workspaceIdSchema.optional(),
  })
  .refine((v) => (v.role === 'employee') === (v.employeeId !== undefined), {
    message: 'an employee token needs --employee ID, and only an employee token takes one',
    path: ['employeeId'],
  });

export type CreateTokenInput = z.input<typeof createTokenSchema>;

export interface TokenStore {
  create(input: CreateTokenInput, actor: string): Promise<{ token: TokenInfo; secret: string }>;
  list(options?: { includeRevoked?: boolean }): Promise<TokenInfo[]>;
  revoke(id: string, reason: string, actor: string): Promise<TokenInfo>;
  /** The principal of a secret, or null when unknown, revoked, expired, or its employee is terminated. */
  principalOf(secret: string, now: Date): Promise<Principal | null>;
  /** How many tokens can authenticate now (auth is "configured" when this is above zero). */
  countActive(now: Date): Promise<number>;
}

export function createTokenStore(deps: { store: Store; events: EventLog }): TokenStore {
  const { store, events } = deps;
  return {
    async create(input, actor) {
      const parsed = createTokenSchema.safeParse(input);
      if (!parsed.success) throw new AuraError('invalid_input', parsed.error.issues.map((i) => i.message).join('; '));
      const { role, name, employeeId, expiresInDays } = parsed.data;
      const workspaceId = parsed.data.workspaceId ?? DEFAULT_WORKSPACE;
      const secret = generateTokenSecret();
      const id = newId('tok');
      const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
      const token = await store.transaction(async (tx) => {
        if (!(await tx.query('SELECT 1 FROM aura.workspaces WHERE id = $1', [workspaceId])).rowCount) throw new AuraError('not_found', `No workspace with id "${workspaceId}" (aura workspaces list).`);
        if (employeeId) {
          const employee = (await tx.query<{ status: string; workspace_id: string }>('SELECT status, workspace_id FROM aura.employees WHERE id = $1', [employeeId])).rows[0];
          if (!employee) throw new AuraError('not_found', `No employee with id "${employeeId}".`);
          if (employee.workspace_id !== workspaceId) throw new AuraError('invalid_input', `Employee ${employeeId} works for workspace "${employee.workspace_id}"; its token must be scoped to that workspace (--workspace ${employee.workspace_id}).`);
          if (employee.status === 'terminated') throw new AuraError('conflict', `Employee ${employeeId} is terminated; it cannot get a token.`);
        }
        const row = (
          await tx.query<TokenRow>(
            `INSERT INTO aura.mcp_tokens (id, name, role, employee_id, hash, expires_at, workspace_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${columns}`,
            [id, name, role, employeeId ?? null, hashTokenSecret(secret), expiresAt?.toISOString() ?? null, workspaceId],
          )
        ).rows[0]!;
        await events.appendIn(tx, [
          { type: 'TokenCreated', actor, payload: { tokenId: id, name, role, employeeId: employeeId ?? null, expiresAt: expiresAt?.toISOString() ?? null, workspaceId } },
        ]);
        return toInfo(row);
      });
      return { token, secret };
    },
    async list(options = {}) {
      const rows = await store.query<TokenRow>(
        `SELECT ${columns} FROM aura.mcp_tokens ${options.includeRevoked ? '' : 'WHERE revoked_at IS NULL'} ORDER BY created_at, id`,
      );
      return rows.rows.map(toInfo);
    },
    async revoke(id, reason, actor) {
      return store.transaction(async (tx) => {
        const row = (await tx.query<TokenRow>(`SELECT ${columns} FROM aura.mcp_tokens WHERE id = $1 FOR UPDATE`, [id])).rows[0];
        if (!row) throw new AuraError('not_found', `No token with id "${id}".`);
        if (row.revoked_at) return toInfo(row);
        const updated = (await tx.query<TokenRow>(`UPDATE aura.mcp_tokens SET revoked_at = now() WHERE id = $1 RETURNING ${columns}`, [id])).rows[0]!;
        await events.appendIn(tx, [{ type: 'TokenRevoked', actor, payload: { tokenId: id, reason } }]);
        return toInfo(updated);
      });
    },
    async principalOf(secret, now) {
      const row = (
        await store.query<TokenRow & { employee_status: string | null }>(
          `SELECT t.id, t.name, t.role, t.employee_id, t.created_at, t.expires_at, t.revoked_at, t.workspace_id, e.status AS employee_status
             FROM aura.mcp_tokens t LEFT JOIN aura.employees e ON e.id = t.employee_id
            WHERE t.hash = $1`,
          [hashTokenSecret(secret)],
        )
      ).rows[0];
      if (!row || row.revoked_at) return null;
      if (row.expires_at && new Date(row.expires_at).getTime() <= now.getTime()) return null;
      if (row.role === 'employee' && (!row.employee_status || row.employee_status === 'terminated')) return null;
      const info = toInfo(row);
      return { role: info.role, tokenId: info.id, name: info.name, employeeId: info.employeeId, workspaceId: info.workspaceId };
    },
    async countActive(now) {
      const result = await store.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM aura.mcp_tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1)',
        [now.toISOString()],
      );
      return Number(result.rows[0]?.n ?? 0);
    },
  };
}
