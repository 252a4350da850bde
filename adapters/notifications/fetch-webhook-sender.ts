// WebhookSender on Node's fetch: one POST, no redirects followed, a deadline, and only the start of the answer read.
import { AuraError } from '../../core/domain/errors';
import type { WebhookSender } from '../../core/notifications/webhook-sender';

const EXCERPT_BYTES = 512;

export function createFetchWebhookSender(): WebhookSender {
  return {
    async send({ url, headers, body, timeoutMs }) {
      let response: Response;
      try {
        // A redirect is answered as a failure, not followed: the signed body must reach the address subscribed.
        response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? (error as Error).message);
        throw new AuraError('unavailable', `The receiver could not be reached: ${reason}.`);
      }
      return { status: response.status, retryAfter: response.headers.get('retry-after'), excerpt: await readExcerpt(response) };
    },
  };
}

/** Reads at most EXCERPT_BYTES of the body and drops the rest, so a huge answer costs nothing. */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut off mid-way still leaves the status, which is what decides the outcome.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
}
