// Task statuses in the queue, and which of them end a task's life or free its dependents.
export const taskStatuses = ['pending', 'ready', 'running', 'retry_wait', 'awaiting_approval', 'succeeded', 'skipped', 'dead_letter', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** Statuses that release a task's dependents. */
export const doneStatuses: readonly TaskStatus[] = ['succeeded', 'skipped'];
/** Statuses a task never leaves by itself (the Director may still retry a dead letter). */
export const settledStatuses: readonly TaskStatus[] = ['succeeded', 'skipped', 'dead_letter', 'cancelled'];
/** Statuses of tasks that can still move without the Director. */
export const activeStatuses: readonly TaskStatus[] = ['ready', 'running', 'retry_wait', 'awaiting_approval'];
