// The NOTIFY channel that wakes schedulers when a task may be claimable. Only a wake-up: the rows are the truth.
export const QUEUE_CHANNEL = 'aura_queue';
