// The OpenAI stand-in's Responses endpoint (POST /v1/responses): output items, function_call items, SSE events, usage.
import { randomBytes } from 'node:crypto';
import { estimateTokens, type ProtocolRequest, type Scripted, type WireResponse } from './stand-in-server';

type Answer = Extract<Scripted, { kind: 'answer' }>;

type OutputItem =
  | { type: 'message'; id: string; status: string; role: 'assistant'; content: Array<{ type: 'output_text'; text: string; annotations: unknown[]; logprobs: unknown[] }> }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: string };

/** Checks a Responses request as the API does: a model and an input (a string or a list of items). */
export function parseResponsesRequest(body: unknown): ProtocolRequest | string {
  if (typeof body !== 'object' || body === null) return 'We could not parse the JSON body of your request.';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return "Missing required parameter: 'model'.";
  if (b.input !== undefined && typeof b.input !== 'string' && !Array.isArray(b.input)) return "Invalid type for 'input': expected a string or an array of input items.";
  if (b.input === undefined && b.previous_response_id === undefined) return "Missing required parameter: 'input'.";
  if (b.tools !== undefined && !Array.isArray(b.tools)) return "Invalid type for 'tools': expected an array.";
  const input = typeof b.input === 'string' ? b.input : JSON.stringify(b.input ?? '');
  const promptText = [typeof b.instructions === 'string' ? b.instructions : '', input].join('\n');
  return { model: b.model, promptText, stream: b.stream === true, body: b, endpoint: 'responses' };
}

export function answerResponses(scripted: Answer, request: ProtocolRequest): WireResponse {
  return { status: 200, headers: { 'x-request-id': `req_${randomBytes(8).toString('hex')}` }, body: responseObject(scripted, request, 'completed', outputOf(scripted)) };
}

/** The SSE form: response.created, then each item added, its deltas and done, then response.completed with usage. */
export function streamResponses(scripted: Answer, request: ProtocolRequest): { contentType: string; chunks: string[] } {
  const items = outputOf(scripted);
  const shell = responseObject(scripted, request, 'in_progress', []);
  const events: Array<Record<string, unknown>> = [
    { type: 'response.created', response: shell },
    { type: 'response.in_progress', response: shell },
  ];
  for (const [output_index, item] of items.entries()) {
    if (item.type === 'message') {
      events.push({ type: 'response.output_item.added', output_index, item: { ...item, status: 'in_progress', content: [] } });
      const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
      events.push({ type: 'response.content_part.added', item_id: item.id, output_index, content_index: 0, part });
      const text = item.content[0]!.text;
      for (const delta of text.match(/[\s\S]{1,8}/g) ?? []) events.push({ type: 'response.output_text.delta', item_id: item.id, output_index, content_index: 0, delta, logprobs: [] });
      events.push({ type: 'response.output_text.done', item_id: item.id, output_index, content_index: 0, text, logprobs: [] });
      events.push({ type: 'response.content_part.done', item_id: item.id, output_index, content_index: 0, part: { ...part, text } });
    } else {
      events.push({ type: 'response.output_item.added', output_index, item: { ...item, arguments: '', status: 'in_progress' } });
      for (const delta of item.arguments.match(/[\s\S]{1,16}/g) ?? []) events.push({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index, delta });
      events.push({ type: 'response.function_call_arguments.done', item_id: item.id, output_index, name: item.name, arguments: item.arguments });
    }
    events.push({ type: 'response.output_item.done', output_index, item });
  }
  events.push({ type: 'response.completed', response: { ...responseObject(scripted, request, 'completed', items), id: shell.id, created_at: shell.created_at } });
  const chunks = events.map((event, sequence_number) => `event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number })}\n\n`);
  return { contentType: 'text/event-stream; charset=utf-8', chunks };
}

function outputOf(scripted: Answer): OutputItem[] {
  const items: OutputItem[] = [];
  if (scripted.finish !== 'safety' && (scripted.text || !scripted.toolCalls?.length)) {
    items.push({ type: 'message', id: `msg_${randomBytes(16).toString('hex')}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: scripted.text, annotations: [], logprobs: [] }] });
  }
  for (const call of scripted.toolCalls ?? []) {
    items.push({ type: 'function_call', id: `fc_${randomBytes(16).toString('hex')}`, call_id: call.id ?? `call_${randomBytes(12).toString('base64url')}`, name: call.name, arguments: JSON.stringify(call.arguments), status: 'completed' });
  }
  return items;
}

function responseObject(scripted: Answer, request: ProtocolRequest, status: 'in_progress' | 'completed', output: OutputItem[]) {
  const done = status === 'completed';
  const tokensIn = scripted.tokensIn ?? estimateTokens(request.promptText);
  const tokensOut = scripted.tokensOut ?? estimateTokens(scripted.text + JSON.stringify(scripted.toolCalls ?? ''));
  const truncated = scripted.finish === 'length';
  return {
    id: `resp_${randomBytes(24).toString('hex')}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: done && truncated ? 'incomplete' : status,
    error: null,
    incomplete_details: done && truncated ? { reason: 'max_output_tokens' } : null,
    instructions: request.body.instructions ?? null,
    max_output_tokens: request.body.max_output_tokens ?? null,
    model: scripted.model ?? request.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: request.body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: request.body.store ?? true,
    temperature: request.body.temperature ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: request.body.tool_choice ?? 'auto',
    tools: request.body.tools ?? [],
    top_p: 1,
    truncation: 'disabled',
    usage: done ? { input_tokens: tokensIn, input_tokens_details: { cached_tokens: 0 }, output_tokens: tokensOut, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: tokensIn + tokensOut } : null,
    user: null,
    metadata: {},
  };
}
