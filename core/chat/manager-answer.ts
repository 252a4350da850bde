// The Manager's answer to an employee's question: its planner model when one is hired (given the run, the task,
// earlier answers and what memory holds), otherwise an earlier answer to the same question or a memory entry. When
// none of these answers, the question goes to the Director.
import { toAuraError } from '../domain/errors';
import type { SearchInput } from '../memory/memory-schema';
import type { SearchResult } from '../memory/memory-search';
import type { RunDetail } from '../runs/run-queries';
import type { Queryable } from '../store/store';
import { DEFAULT_WORKSPACE } from '../tenancy/workspace';
import { workspaceOf } from '../tenancy/workspace-filter';
import type { ModelProvider } from '../workforce/model-provider';
import { describeRunState } from './run-state-text';

export interface ManagerAnswerDeps {
  getRun(runId: string): Promise<RunDetail>;
  /** The Manager's planner model (AURA_PLANNER_EMPLOYEE), when one is hired. */
  model?: ModelProvider;
  /** Memory search of one workspace (the run's), when memory is on. */
  searchMemory?(input: SearchInput, workspaceId: string): Promise<SearchResult>;
}

export type ManagerVerdict = { answered: true; answer: string; source: string } | { answered: false; reason: string };

/** What the model says when the information given does not answer the question. */
export const ESCALATE_MARK = 'ASK_DIRECTOR';

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

async function earlierAnswers(q: Queryable, runId: string): Promise<Array<{ question: string; answer: string; answered_by: string }>> {
  return (await q.query<{ question: string; answer: string; answered_by: string }>(`SELECT question, answer, answered_by FROM aura.chat_questions WHERE run_id = $1 AND status = 'answered' ORDER BY answered_at DESC LIMIT 20`, [runId])).rows;
}

async function memoryHits(deps: ManagerAnswerDeps, q: Queryable, runId: string, question: string): Promise<SearchResult['hits']> {
  if (!deps.searchMemory) return [];
  try {
    // Only the memory of the run's own workspace answers its employees (docs/tenancy.md).
    const workspaceId = (await workspaceOf(q, 'run', runId)) ?? DEFAULT_WORKSPACE;
    return (await deps.searchMemory({ query: question.slice(0, 4000), mode: 'keyword', match: 'all', limit: 3 }, workspaceId)).hits;
  } catch {
    return []; // memory is a help, not a condition: a question it cannot search still gets asked
  }
}

export async function managerAnswer(deps: ManagerAnswerDeps, q: Queryable, input: { runId: string; taskId: string; question: string }, signal?: AbortSignal): Promise<ManagerVerdict> {
  const run = await deps.getRun(input.runId);
  const earlier = await earlierAnswers(q, input.runId);
  const hits = await memoryHits(deps, q, input.runId, input.question);
  const same = earlier.find((e) => normalise(e.question) === normalise(input.question));
  if (!deps.model) {
    if (same) return { answered: true, answer: same.answer, source: `memory: answered earlier in this run by ${same.answered_by}` };
    const hit = hits[0];
    if (hit) return { answered: true, answer: hit.content, source: `memory: ${hit.scope}/${hit.namespace}/${hit.key} v${hit.version}` };
    return { answered: false, reason: 'no planner model is hired and neither memory nor an earlier answer in this run answers it' };
  }
  const task = run.tasks.find((t) => t.id === input.taskId);
  const context = [
    `Run state:\n${describeRunState(run, input.question)}`,
    task ? `The asking employee's task ${task.key} "${task.title}" (${task.kind}).` : '',
    earlier.length ? `Answers given earlier in this run:\n${earlier.map((e) => `Q: ${e.question}\nA (${e.answered_by}): ${e.answer}`).join('\n')}` : '',
    hits.length ? `Memory:\n${hits.map((h) => `[${h.scope}/${h.key} v${h.version}] ${h.content.slice(0, 2000)}`).join('\n')}` : '',
  ].filter(Boolean);
  try {
    const reply = await deps.model.complete({
      signal,
      temperature: 0,
      maxTokens: 800,
      messages: [
        {
          role: 'system',
          content: `You are the Manager of Aura Orchestra. One of your employees asks you a question about its task. Answer only from the information given; be brief and concrete. When that information does not answer the question, reply with ${ESCALATE_MARK}: followed by what the Director must decide or tell.`,
        },
        { role: 'user', content: `${context.join('\n\n')}\n\nQuestion: ${input.question}` },
      ],
    });
    const text = reply.text.trim();
    const source = `model:${deps.model.provider}/${deps.model.model}`;
    if (!text) return { answered: false, reason: `${source} gave an empty answer` };
    if (text.startsWith(ESCALATE_MARK)) return { answered: false, reason: text.slice(ESCALATE_MARK.length).replace(/^[:\s]+/, '') || `${source} cannot answer from what it knows` };
    return { answered: true, answer: text.slice(0, 8000), source };
  } catch (error) {
    if (same) return { answered: true, answer: same.answer, source: `memory: answered earlier in this run by ${same.answered_by}` };
    return { answered: false, reason: `the planner model did not answer: ${toAuraError(error).message.slice(0, 300)}` };
  }
}
