// Who is calling: the four roles of the MCP surface and the principal a request runs as.
import { DEFAULT_WORKSPACE } from '../../core/tenancy/workspace';

export const roles = ['director', 'operator', 'viewer', 'employee'] as const;
export type Role = (typeof roles)[number];

export interface Principal {
  role: Role;
  /** The token's id, or 'local' for stdio and the serve process's own local token. */
  tokenId: string;
  /** A readable name (the token's label), shown in logs and events. */
  name: string;
  /** Set only for the employee role: the one employee this token acts as. */
  employeeId: string | null;
  /** The team workspace the token is scoped to (core/tenancy): every read and write of the session stays inside it. */
  workspaceId: string;
}

/** stdio runs as the local Director: whoever can start the process can already open its database. */
export const localDirector: Principal = Object.freeze({ role: 'director', tokenId: 'local', name: 'local', employeeId: null, workspaceId: DEFAULT_WORKSPACE });

/** The actor recorded on events a principal causes: `director:local`, `operator:ci-bot#tok_…`, `employee:emp_…`. */
export function actorOf(principal: Principal): string {
  if (principal.role === 'employee') return `employee:${principal.employeeId}`;
  return principal.tokenId === 'local' ? `${principal.role}:local` : `${principal.role}:${principal.name}#${principal.tokenId}`;
}

/** Role groups the tool table is written in. */
export const READERS: readonly Role[] = ['director', 'operator', 'viewer'];
export const OPERATORS: readonly Role[] = ['director', 'operator'];
export const DIRECTOR_ONLY: readonly Role[] = ['director'];
export const EMPLOYEE_ONLY: readonly Role[] = ['employee'];
