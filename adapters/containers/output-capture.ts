// Captured output of one command: decoded, secrets masked as it streams, capped (head and tail kept).
import { StringDecoder } from 'node:string_decoder';
import type { OutputListener, OutputStream } from '../../core/containers/container-runtime';

export const defaultMaxOutputBytes = 4 * 1024 * 1024;
const mask = '***';

export interface Redactor {
  /** Masks what it can; holds back a tail that could be the start of a secret cut by a chunk boundary. */
  push(text: string): string;
  flush(): string;
}

/** Masks every occurrence of each secret, even when a chunk boundary cuts one in two. */
export function createRedactor(secrets: readonly string[]): Redactor {
  const values = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return { push: (text) => text, flush: () => '' };
  const pattern = new RegExp(values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const holdBack = values[0]!.length - 1;
  let pending = '';
  return {
    push(text) {
      const masked = (pending + text).replace(pattern, mask);
      // A secret that starts before the cut ends inside `masked`, so it has been masked already.
      const cut = Math.max(0, masked.length - holdBack);
      pending = masked.slice(cut);
      return masked.slice(0, cut);
    },
    flush() {
      const rest = pending.replace(pattern, mask);
      pending = '';
      return rest;
    },
  };
}

/** Keeps the first three quarters of the budget and the last quarter, and counts what it dropped. */
export class CappedText {
  private head = '';
  private headBytes = 0;
  private tail: string[] = [];
  private tailBytes = 0;
  private dropped = 0;
  private readonly headMax: number;
  private readonly tailMax: number;

  constructor(maxBytes: number) {
    this.headMax = Math.floor((maxBytes * 3) / 4);
    this.tailMax = maxBytes - this.headMax;
  }

  add(text: string): void {
    if (!text) return;
    let rest = text;
    if (this.headBytes < this.headMax) {
      const room = this.headMax - this.headBytes;
      const bytes = Buffer.from(rest);
      const taken = bytes.subarray(0, room).toString();
      this.head += taken;
      this.headBytes += Buffer.byteLength(taken);
      rest = bytes.length > room ? bytes.subarray(room).toString() : '';
      if (!rest) return;
    }
    this.tail.push(rest);
    this.tailBytes += Buffer.byteLength(rest);
    while (this.tail.length > 1 && this.tailBytes - Buffer.byteLength(this.tail[0]!) >= this.tailMax) {
      const first = this.tail.shift()!;
      this.tailBytes -= Buffer.byteLength(first);
      this.dropped += Buffer.byteLength(first);
    }
  }

  get truncated(): boolean {
    return this.dropped > 0 || this.tailBytes > this.tailMax;
  }

  text(): string {
    let tail = this.tail.join('');
    let dropped = this.dropped;
    const excess = this.tailBytes - this.tailMax;
    if (excess > 0) {
      const bytes = Buffer.from(tail);
      tail = bytes.subarray(excess).toString();
      dropped += excess;
    }
    return dropped > 0 ? `${this.head}\n[aura: ${dropped} bytes of output dropped]\n${tail}` : this.head + tail;
  }
}

export interface OutputSink {
  write(chunk: Buffer): boolean;
}

export interface StreamCapture {
  sink: OutputSink;
  /** Flushes what the decoder and redactor still hold; call once the stream has ended. */
  finish(): { text: string; truncated: boolean };
}

export interface CaptureOptions {
  stream: OutputStream;
  redact: readonly string[];
  maxBytes: number;
  onOutput?: OutputListener;
}

export function createStreamCapture(options: CaptureOptions): StreamCapture {
  const decoder = new StringDecoder('utf8');
  const redactor = createRedactor(options.redact);
  const capped = new CappedText(options.maxBytes);
  const emit = (text: string) => {
    if (!text) return;
    capped.add(text);
    if (options.onOutput) {
      try {
        options.onOutput(options.stream, text);
      } catch {
        // A listener's failure must not lose the capture; the listener owns its own errors.
      }
    }
  };
  return {
    sink: {
      write(chunk) {
        emit(redactor.push(decoder.write(chunk)));
        return true;
      },
    },
    finish() {
      emit(redactor.push(decoder.end()));
      emit(redactor.flush());
      return { text: capped.text(), truncated: capped.truncated };
    },
  };
}
