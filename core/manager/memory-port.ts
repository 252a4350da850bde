// What the Manager asks of memory: the planner's and each employee's context (the memory service answers it).
import type { NewEvent } from '../events/event-log';
import type { Assignment, MemoryItem } from '../workforce/worker';

export interface ManagerMemory {
  /** Entries for a PRD's planner, from the run's workspace; `event(runId)` records which, in the run's first transaction. */
  forPlan(request: { prd: string; title?: string; user: string; workspaceId: string }): Promise<{ section: string; event(runId: string): NewEvent }>;
  /** Entries for an attempt, recorded; a resumed attempt is given the same versions again. */
  forAssignment(assignment: Assignment): Promise<MemoryItem[]>;
}
