// Reads what a call used from the provider's own answer: tokens in and out and the model, from a JSON body or an SSE stream.
import type { GatewayProtocol } from './model-gateway';

export interface WireUsage {
  model: string | null;
  tokensIn: number;
  tokensOut: number;
  /** False when the answer carried no usage (an OpenAI stream without include_usage): the counts are estimates. */
  reported: boolean;
}

type Json = Record<string, unknown>;
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);
const obj = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null ? (value as Json) : undefined);

/** The data of each server-sent event of a stream, parsed as JSON (events that are not JSON, like [DONE], skipped). */
export function sseData(text: string): Json[] {
  const out: Json[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
      .join('\n');
    if (!data || data === '[DONE]') continue;
    try {
      const parsed = obj(JSON.parse(data));
      if (parsed) out.push(parsed);
    } catch {
      // A keep-alive comment or a torn last event of a cut stream: nothing to count in it.
    }
  }
  return out;
}

/** Usage of one answer, from the messages it is made of (one JSON body, or every event of a stream in order). */
export function usageOf(protocol: GatewayProtocol, messages: Json[]): WireUsage {
  const usage: WireUsage = { model: null, tokensIn: 0, tokensOut: 0, reported: false };
  let outputChars = 0;
  for (const m of messages) {
    if (protocol === 'anthropic') {
      const message = obj(m.message) ?? (m.type === 'message' ? m : undefined);
      if (message) {
        if (typeof message.model === 'string') usage.model = message.model;
        readAnthropic(obj(message.usage), usage);
      }
      if (m.type === 'message_delta') readAnthropic(obj(m.usage), usage);
    } else if (protocol === 'openai') {
      // Chat Completions (JSON or chunk), or a Responses object (JSON, or inside response.* events).
      const response = obj(m.response) ?? (m.object === 'response' ? m : undefined);
      const holder = response ?? m;
      if (typeof holder.model === 'string') usage.model = holder.model;
      const u = obj(holder.usage);
      if (u) {
        usage.tokensIn = num(u.prompt_tokens ?? u.input_tokens);
        usage.tokensOut = num(u.completion_tokens ?? u.output_tokens);
        usage.reported = true;
      }
      for (const choice of (Array.isArray(m.choices) ? m.choices : []) as Json[]) outputChars += JSON.stringify(choice.delta ?? choice.message ?? '').length;
    } else {
      if (typeof m.modelVersion === 'string') usage.model = m.modelVersion;
      const u = obj(m.usageMetadata);
      if (u) {
        // Each streamed chunk repeats the running totals; the last one holds the call's.
        usage.tokensIn = num(u.promptTokenCount);
        usage.tokensOut = num(u.candidatesTokenCount) + num(u.thoughtsTokenCount);
        usage.reported = true;
      }
    }
  }
  if (!usage.reported && outputChars > 0) usage.tokensOut = Math.ceil(outputChars / 4);
  return usage;
}

function readAnthropic(u: Json | undefined, usage: WireUsage): void {
  if (!u) return;
  // Input is billed in three parts: fresh, written to the cache, read from it (all counted as tokens in).
  if (u.input_tokens !== undefined) usage.tokensIn = num(u.input_tokens) + num(u.cache_creation_input_tokens) + num(u.cache_read_input_tokens);
  // message_delta's output_tokens is the running total, so the last one wins.
  if (u.output_tokens !== undefined) usage.tokensOut = num(u.output_tokens);
  usage.reported = true;
}

/** Usage of an exchange's body: SSE when the content type says so, else one JSON document (or nothing readable). */
export function exchangeUsage(protocol: GatewayProtocol, contentType: string | undefined, body: string): WireUsage {
  if (contentType?.includes('text/event-stream')) return usageOf(protocol, sseData(body));
  // Gemini's streamGenerateContent without alt=sse answers one JSON array of responses.
  try {
    const parsed: unknown = JSON.parse(body);
    return usageOf(protocol, Array.isArray(parsed) ? parsed.filter(obj) : obj(parsed) ? [parsed as Json] : []);
  } catch {
    return { model: null, tokensIn: 0, tokensOut: 0, reported: false };
  }
}
