// The bodies a webhook receives: Aura's JSON envelope of the event, or a Slack incoming-webhook message.
import type { StoredEvent } from '../events/stored-event';
import type { NotificationFormat } from './subscription-schema';

const usd = (n: unknown) => `$${Number(n).toFixed(4)}`;

/** One line a person reads: what happened and what it asks of them. */
export function summarise(event: StoredEvent): string {
  const p = event.payload as Record<string, unknown>;
  const run = event.runId ? ` in run ${event.runId}` : '';
  switch (event.type) {
    case 'ApprovalRequested':
      return `Approval waiting${run}: ${String(p.subject)}${event.taskId ? ` ${event.taskId}` : ''} — ${String(p.reason)} (approval ${String(p.approvalId)})`;
    case 'TaskDeadLettered':
      return `Task ${event.taskId ?? '?'} dead-lettered${run} after ${String(p.attempts)} attempt(s): ${String(p.reason)}`;
    case 'RunCompleted':
      return `Run ${event.runId ?? '?'} settled ${String(p.outcome)}: ${String(p.succeeded)} succeeded, ${String(p.skipped)} skipped, ${String(p.deadLettered)} dead-lettered; cost ${usd(p.costUsd)}`;
    case 'RunFailed':
      return `Run ${event.runId ?? '?'} failed: ${String(p.reason)}`;
    case 'RunCancelled':
      return `Run ${event.runId ?? '?'} cancelled: ${String(p.reason)}`;
    case 'RunBlocked':
      return `Run ${event.runId ?? '?'} is blocked: ${String(p.deadLettered)} dead letter(s) hold back waiting tasks (retry or skip them)`;
    case 'CostLimitExceeded':
      return `Budget crossed${run}: ${String(p.scope)} spent ${usd(p.spentUsd)} of ${usd(p.limitUsd)} (${String(p.action)})`;
    case 'AnomalyDetected':
      return `Anomaly${run}: ${String(p.kind)} by ${String(p.employeeId)} — ${String(p.reason)} (${String(p.action)})`;
    case 'QuestionEscalated':
      return `Question waiting for you${run}${event.taskId ? ` on task ${event.taskId}` : ''} from ${String(p.employeeId)}: "${String(p.question).slice(0, 300)}" — the Manager could not answer: ${String(p.reason)} (answer with post_message replyTo ${String(p.questionId)})`;
    default:
      return `${event.type}${run}`;
  }
}

/** Slack's mrkdwn treats these three as control characters; everything else is literal. */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function webhookBody(format: NotificationFormat, event: StoredEvent, meta: { idempotencyKey: string; subscriptionId: string }): string {
  const summary = summarise(event);
  if (format === 'slack') {
    const context = [event.runId && `run \`${event.runId}\``, event.taskId && `task \`${event.taskId}\``, `event #${event.id}`, event.occurredAt.toISOString()].filter(Boolean).join(' · ');
    return JSON.stringify({
      text: summary,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(event.type)}*\n${slackEscape(summary)}` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: slackEscape(context) }] },
      ],
    });
  }
  return JSON.stringify({
    id: meta.idempotencyKey,
    subscriptionId: meta.subscriptionId,
    type: event.type,
    summary,
    event: {
      id: event.id,
      stream: event.stream,
      seq: event.seq,
      type: event.type,
      runId: event.runId,
      taskId: event.taskId,
      actor: event.actor,
      occurredAt: event.occurredAt.toISOString(),
      payload: event.payload,
      hash: event.hash,
    },
  });
}
