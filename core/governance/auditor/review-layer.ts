// Verification layer 4 (optional): a model reviews the result against the task and scores it 0-10 with reasons.
import { z } from 'zod';
import { toAuraError } from '../../domain/errors';
import { callKey, completionParams } from '../../replay/call-key';
import type { CompletionRequest, CompletionResponse, ModelProvider } from '../../workforce/model-provider';
import type { Assignment, WorkResult } from '../../workforce/worker';
import { clip } from './evidence-scrub';
import type { LayerOutcome } from './verification-record';

export const DEFAULT_REVIEW_THRESHOLD = 7;

const reviewSchema = z.object({ score: z.number().min(0).max(10), reasons: z.array(z.string().min(1).max(2000)).min(1).max(20) });

const reviewJsonSchema = {
  type: 'object',
  properties: {
    score: { type: 'number', minimum: 0, maximum: 10, description: '0 = does not do the task at all, 10 = fully meets every criterion' },
    reasons: { type: 'array', items: { type: 'string' }, description: 'One short reason per observation, most important first.' },
  },
  required: ['score', 'reasons'],
  additionalProperties: false,
};

export function reviewRequest(a: Assignment, result: WorkResult, diff: string | null, acceptance: string | null): CompletionRequest {
  const task = a.task;
  const lines = [
    `Task "${task.title}" (${task.kind}).`,
    task.description ? `Description:\n${clip(task.description, 8000)}` : '',
    task.acceptance.criteria.length ? `Acceptance criteria:\n${task.acceptance.criteria.map((c) => `- ${c}`).join('\n')}` : '',
    `The employee's summary:\n${clip(result.summary, 4000)}`,
    diff ? `The change (unified diff):\n${clip(diff, 24_000)}` : 'No file changes were made.',
    acceptance ? `The Auditor's own acceptance checks: ${acceptance}` : '',
  ];
  return {
    messages: [
      { role: 'system', content: 'You review work delivered for a task. Judge only what is shown. Answer JSON: {"score": 0-10, "reasons": [...]}.' },
      { role: 'user', content: lines.filter(Boolean).join('\n\n') },
    ],
    jsonSchema: { name: 'aura_review', schema: reviewJsonSchema },
    temperature: 0,
    maxTokens: 800,
    timeoutMs: 120_000,
  };
}

export interface ReviewOutcome {
  outcome: LayerOutcome;
  /** What the review call cost (the Auditor's, recorded in the ledger as source "review"). */
  response: CompletionResponse | null;
}

export async function runReview(reviewer: ModelProvider, threshold: number, a: Assignment, result: WorkResult, diff: string | null, acceptance: string | null): Promise<ReviewOutcome> {
  const request = reviewRequest(a, result, diff, acceptance);
  // The prompt and answer live in the call record (when the reviewer records); evidence keeps the reference.
  const reference = { provider: reviewer.provider, model: reviewer.model, callKey: callKey({ provider: reviewer.provider, model: reviewer.model, params: completionParams(request) }) };
  let response: CompletionResponse;
  try {
    response = await reviewer.complete(request);
  } catch (error) {
    return { outcome: { layer: 'review', passed: false, infrastructure: true, reason: `the reviewer could not be reached: ${toAuraError(error).message}`, evidence: { ...reference } }, response: null };
  }
  let parsed: z.infer<typeof reviewSchema>;
  try {
    parsed = reviewSchema.parse(JSON.parse(response.text.trim().replace(/^```(?:json)?\s*|\s*```$/g, '')));
  } catch (error) {
    return { outcome: { layer: 'review', passed: false, infrastructure: true, reason: `the reviewer's answer was not a valid review: ${(error as Error).message.slice(0, 300)}`, evidence: { ...reference, answer: clip(response.text, 4000) } }, response };
  }
  const evidence = { ...reference, threshold, score: parsed.score, reasons: parsed.reasons, tokensIn: response.tokensIn, tokensOut: response.tokensOut, costUsd: response.costUsd };
  const passed = parsed.score >= threshold;
  return {
    outcome: { layer: 'review', passed, score: parsed.score, reason: passed ? undefined : `the reviewer scored ${parsed.score}/10 (threshold ${threshold}): ${parsed.reasons[0]}`, evidence, details: { threshold } },
    response,
  };
}
