// An HTTP exchange as the call record keeps it: status, the headers a client needs, and the body byte for byte.
import { z } from 'zod';

/** One upstream answer as it passed through the gateway (a stream is its bytes in order, joined). */
export interface Exchange {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Response headers worth replaying; the rest (dates, connection, request ids of a past day) are not the answer. */
const kept = new Set(['content-type', 'cache-control', 'x-should-retry', 'retry-after']);

export const recordedExchangeSchema = z.object({
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()),
  /** The body as UTF-8 text when it is valid UTF-8 (every JSON and SSE answer), else base64. */
  body: z.string().optional(),
  bodyBase64: z.string().optional(),
});
export type RecordedExchange = z.infer<typeof recordedExchangeSchema>;

export function encodeExchange(exchange: Exchange): RecordedExchange {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(exchange.headers)) if (kept.has(name)) headers[name] = value;
  const text = exchange.body.toString('utf8');
  // Text that round-trips is stored readable; anything else keeps its exact bytes as base64.
  return Buffer.from(text, 'utf8').equals(exchange.body) ? { status: exchange.status, headers, body: text } : { status: exchange.status, headers, bodyBase64: exchange.body.toString('base64') };
}

export function decodeExchange(recorded: RecordedExchange): Exchange {
  const body = recorded.bodyBase64 !== undefined ? Buffer.from(recorded.bodyBase64, 'base64') : Buffer.from(recorded.body ?? '', 'utf8');
  return { status: recorded.status, headers: { ...recorded.headers, 'content-length': String(body.length) }, body };
}
