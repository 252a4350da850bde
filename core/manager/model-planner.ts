// The model planner: asks a model (ModelProvider port) for a plan as JSON, validates it with zod and the DAG
// rules, feeds each error back for at most `maxRetries` more tries; the caller falls back when it gives up.
import { z } from 'zod';
import { describeIssues, toAuraError } from '../domain/errors';
import type { ChatMessage, ModelProvider } from '../workforce/model-provider';
import { type Plan, planSchema, taskKinds } from './plan-schema';
import { findPlanProblems } from './plan-validation';

export interface ModelPlanAttempt {
  ok: boolean;
  error?: string;
}

export interface ModelPlanOutcome {
  plan: Plan | null;
  attempts: ModelPlanAttempt[];
  costUsd: number;
  /** Why the model planner gave up (null when it produced a plan). */
  failure: string | null;
}

const systemPrompt = `You are the Manager of a software team. Decompose the Director's PRD into a DAG of small, atomic tasks.
Answer with one JSON object only, no prose, matching the given JSON Schema:
{"title": string, "tasks": [{"id": "lowercase-id", "title": string, "kind": one of ${taskKinds.join(', ')},
 "description": string, "acceptance": {"criteria": [string], "commands": [shell commands that exit 0 when done; only for code, command, doc]},
 "scope": [path globs the task may change], "skills": [string], "dependsOn": [ids of tasks that must finish first],
 "maxAttempts": 1-10, "timeoutMs": milliseconds}]}
Ids are unique; dependencies name ids of the same plan; there are no cycles. Independent tasks must not depend on each other, so they can run in parallel.`;

let cachedJsonSchema: Record<string, unknown> | undefined;
function planJsonSchema(): Record<string, unknown> {
  cachedJsonSchema ??= z.toJSONSchema(planSchema, { io: 'input' }) as Record<string, unknown>;
  return cachedJsonSchema;
}

export async function planWithModel(model: ModelProvider, prd: string, options: { title?: string; maxRetries?: number; signal?: AbortSignal; memory?: string } = {}): Promise<ModelPlanOutcome> {
  const maxRetries = options.maxRetries ?? 2;
  const messages: ChatMessage[] = [
    { role: 'system', content: systemPrompt },
    { role: 'user', content: `${options.title ? `Title: ${options.title}\n\n` : ''}PRD:\n\n${prd}${options.memory ? `\n\n${options.memory}` : ''}` },
  ];
  const attempts: ModelPlanAttempt[] = [];
  let costUsd = 0;
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    let text: string;
    try {
      const response = await model.complete({ messages, jsonSchema: { name: 'plan', schema: planJsonSchema() }, temperature: 0, signal: options.signal });
      costUsd += response.costUsd;
      text = response.text;
      if (response.finishReason === 'length') {
        const error = 'the answer was cut off (finish reason "length"); answer with a shorter plan';
        attempts.push({ ok: false, error });
        messages.push({ role: 'assistant', content: text }, { role: 'user', content: `Your answer was invalid: ${error}. Answer again with the whole JSON object only.` });
        continue;
      }
    } catch (error) {
      // The model could not be reached or refused: no point feeding that back; the caller falls back.
      const message = toAuraError(error).message;
      attempts.push({ ok: false, error: `model call failed: ${message}` });
      return { plan: null, attempts, costUsd, failure: `model call failed: ${message}` };
    }
    const checked = checkAnswer(text, options.title);
    if (checked.plan) {
      attempts.push({ ok: true });
      return { plan: checked.plan, attempts, costUsd, failure: null };
    }
    attempts.push({ ok: false, error: checked.error });
    messages.push({ role: 'assistant', content: text }, { role: 'user', content: `Your answer was invalid: ${checked.error}\nAnswer again with the corrected JSON object only.` });
  }
  return { plan: null, attempts, costUsd, failure: `no valid plan after ${attempts.length} tries: ${attempts.at(-1)?.error ?? 'unknown error'}` };
}

/** Parses a model's answer: JSON (a fenced block is tolerated), then the schema, then the DAG rules. */
export function checkAnswer(text: string, title?: string): { plan: Plan; error?: undefined } | { plan?: undefined; error: string } {
  const json = extractJson(text);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { error: `not valid JSON (${(error as Error).message})` };
  }
  if (title && value && typeof value === 'object' && !('title' in value)) (value as Record<string, unknown>).title = title;
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) return { error: `does not match the plan schema: ${describeIssues(parsed.error.issues)}` };
  const problems = findPlanProblems(parsed.data);
  if (problems.length) return { error: `the plan is not a valid DAG: ${problems.map((p) => p.message).join(' ')}` };
  return { plan: parsed.data };
}

function extractJson(text: string): string {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(text);
  return (fenced ? fenced[1]! : text).trim();
}
