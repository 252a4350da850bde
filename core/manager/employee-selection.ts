// Choosing the employee for a task: among those governance ranked best first, the first with room, preferring
// one that has not failed this task before (reassignment goes to someone else when anyone else can).
import type { Employee } from '../workforce/employee';

export interface SelectionInput {
  /** Eligible employees, best first (governance.rankEmployees). */
  ranked: readonly Employee[];
  /** Running tasks per employee (all Managers), plus those chosen earlier in this round. */
  load: ReadonlyMap<string, number>;
  /** Employees whose attempts at this task failed. */
  tried: readonly string[];
}

export function chooseEmployee({ ranked, load, tried }: SelectionInput): Employee | null {
  const hasRoom = (e: Employee) => (load.get(e.id) ?? 0) < e.profile.maxConcurrent;
  return ranked.find((e) => !tried.includes(e.id) && hasRoom(e)) ?? ranked.find(hasRoom) ?? null;
}
