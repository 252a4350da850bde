// Test harness for the model adapters: each provider's stand-in, a profile pointing at it, a clock that records backoff, a log capture.
import pino from 'pino';
import { createModelProvider, type CreateModelProviderDeps } from '../../../adapters/model-providers';
import type { Clock } from '../../../core/domain/clock';
import type { Logger } from '../../../core/observability/logger';
import { type EmployeeProfile, employeeProfileSchema } from '../../../core/workforce/employee';
import type { ModelProvider } from '../../../core/workforce/model-provider';
import { startGeminiStandIn } from '../../support/stand-ins/gemini-stand-in';
import { startOllamaStandIn } from '../../support/stand-ins/ollama-stand-in';
import { startOpenAIStandIn } from '../../support/stand-ins/openai-stand-in';
import type { StandIn, StandInOptions } from '../../support/stand-ins/stand-in-server';

export interface ProviderHarness {
  provider: 'openai' | 'ollama' | 'gemini';
  start(options?: Omit<StandInOptions, 'protocol'>): Promise<StandIn>;
  /** The base URL the profile gives for this stand-in. */
  baseUrl(standIn: StandIn): string;
  /** The structured-output instruction the SDK put on the wire, as the provider names it. */
  structuredOutputOnWire(body: Record<string, unknown>): unknown;
}

export const harnesses: ProviderHarness[] = [
  {
    provider: 'openai',
    start: startOpenAIStandIn,
    baseUrl: (s) => `${s.url}/v1`,
    structuredOutputOnWire: (body) => (body.response_format as { json_schema?: { schema?: unknown } } | undefined)?.json_schema?.schema,
  },
  {
    provider: 'ollama',
    start: startOllamaStandIn,
    baseUrl: (s) => s.url,
    structuredOutputOnWire: (body) => body.format,
  },
  {
    provider: 'gemini',
    start: startGeminiStandIn,
    baseUrl: (s) => s.url,
    structuredOutputOnWire: (body) => (body.generationConfig as { responseSchema?: unknown } | undefined)?.responseSchema,
  },
];

/** A clock whose sleeps return at once and are remembered, so backoff is asserted exactly and costs no time. */
export function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(),
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
    },
  };
}

/** A real pino logger (with the product's redaction) writing into memory, at trace level. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'trace', redact: ['apiKey', '*.apiKey', 'authorization', '*.authorization'] }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

export const TEST_KEY = 'sk-stand-in-key-0f9a8b7c6d5e4f3a';

export function profileFor(harness: ProviderHarness, standIn: StandIn, overrides: Partial<EmployeeProfile> = {}): EmployeeProfile {
  return employeeProfileSchema.parse({
    name: `${harness.provider}-employee`,
    provider: harness.provider,
    model: 'stand-in-model',
    baseUrl: harness.baseUrl(standIn),
    apiKeyRef: 'env:STAND_IN_API_KEY',
    costTable: { inputPerMTok: 2.5, outputPerMTok: 10 },
    ...overrides,
  });
}

export function providerFor(harness: ProviderHarness, standIn: StandIn, deps: CreateModelProviderDeps = {}, overrides: Partial<EmployeeProfile> = {}): ModelProvider {
  return createModelProvider(profileFor(harness, standIn, overrides), {
    secrets: { env: { STAND_IN_API_KEY: TEST_KEY } },
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 },
    random: () => 0.5,
    ...deps,
  });
}

export const answerSchema = {
  name: 'task_answer',
  schema: {
    type: 'object',
    properties: { summary: { type: 'string' }, files: { type: 'array', items: { type: 'string' } } },
    required: ['summary', 'files'],
    additionalProperties: false,
  },
};

export const jsonRequest = {
  messages: [
    { role: 'system' as const, content: 'You are a careful engineer. Answer in JSON.' },
    { role: 'user' as const, content: 'Summarise the change.' },
  ],
  jsonSchema: answerSchema,
  temperature: 0,
  maxTokens: 400,
};

/** Runs `fn`, expecting it to reject; returns what it threw. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error & { code?: string; reason?: string; retryable?: boolean; details?: Record<string, unknown> }> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, got a result');
}
