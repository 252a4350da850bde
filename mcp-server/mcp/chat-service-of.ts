// The chat service of a set of MCP services (one per set, built on first use from the core, the Manager's planner
// model and memory).
import { type ChatService, createChatService } from '../../core/chat/chat-service';
import type { Orchestrator } from '../../core/orchestrator';
import type { McpServices } from './services';

const built = new WeakMap<McpServices, ChatService>();

export function chatServiceOf(services: McpServices, orchestrator: Orchestrator): ChatService {
  let chat = built.get(services);
  if (!chat) {
    const { store, events, clock } = services.core;
    const memory = services.memory;
    chat = createChatService({
      store,
      events,
      clock,
      getRun: (runId) => orchestrator.runs.get(runId),
      model: services.plannerModel,
      searchMemory: memory ? (input, workspaceId) => memory.search(input, workspaceId) : undefined,
    });
    built.set(services, chat);
  }
  return chat;
}
