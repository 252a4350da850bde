// The port a notification leaves through: one HTTP POST to a receiver (adapters/notifications implements it).

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface WebhookResponse {
  status: number;
  /** Seconds (or an HTTP date) the receiver asked to wait before the next attempt, when it said. */
  retryAfter: string | null;
  /** The start of the response body, for the delivery's last error. */
  excerpt: string;
}

export interface WebhookSender {
  /** Resolves with any HTTP answer (2xx or not); rejects when none came (refused, reset, timed out). */
  send(request: WebhookRequest): Promise<WebhookResponse>;
}
