// aura://runs/{id}/chat: the latest entries of a run's group chat and the questions waiting for the Director, updated
// by the run's event stream (subscribe to it for a live chat).
import type { Orchestrator } from '../../../core/orchestrator';
import { chatServiceOf } from '../chat-service-of';
import { type ResourceDefinition, templateMatcher } from './resource-definition';

/** How many of a run's latest chat entries the resource shows (get_chat pages through all of them). */
export const RUN_CHAT_SHOWN = 200;

export function runChatResource(orchestrator: Orchestrator | undefined): ResourceDefinition[] {
  if (!orchestrator) return [];
  return [
    {
      template: 'aura://runs/{id}/chat',
      name: 'run-chat',
      title: 'Run chat',
      description: `The latest ${RUN_CHAT_SHOWN} entries of a run's group chat, oldest first, and its questions waiting for the Director (get_chat pages through all).`,
      match: templateMatcher('aura://runs/{id}/chat'),
      owner: { id: 'run' },
      read: ({ id }, services) => chatServiceOf(services, orchestrator).read({ runId: id!, limit: RUN_CHAT_SHOWN }),
      async changedBy({ id }) {
        await orchestrator.runs.get(id!);
        return (stream) => stream === id;
      },
    },
  ];
}
