// One command's streams: stdin written and closed, stdout/stderr demultiplexed and captured, and when the stream ended.
import type Docker from 'dockerode';
import type { OutputListener } from '../../core/containers/container-runtime';
import { createStreamCapture, defaultMaxOutputBytes } from './output-capture';

export interface CommandIoOptions {
  stdin?: string;
  redact: readonly string[];
  maxOutputBytes?: number;
  onOutput?: OutputListener;
}

export interface CommandIo {
  /** Resolves when the engine closes the output stream (the command ended, or the engine went away). */
  ended: Promise<void>;
  /** The captured output; call once `ended` has resolved. */
  finish(): { stdout: string; stderr: string; truncated: boolean };
}

/** Wires a hijacked attach/exec stream (multiplexed, no TTY). */
export function wireCommandIo(docker: Docker, stream: NodeJS.ReadWriteStream, options: CommandIoOptions): CommandIo {
  const maxBytes = options.maxOutputBytes ?? defaultMaxOutputBytes;
  const out = createStreamCapture({ stream: 'stdout', redact: options.redact, maxBytes, onOutput: options.onOutput });
  const err = createStreamCapture({ stream: 'stderr', redact: options.redact, maxBytes, onOutput: options.onOutput });
  docker.modem.demuxStream(stream, out.sink as NodeJS.WritableStream, err.sink as NodeJS.WritableStream);
  const ended = new Promise<void>((resolve) => {
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    // A broken stream ends the command's output too; the engine call that follows says why.
    stream.once('error', () => resolve());
  });
  if (options.stdin !== undefined) {
    // Closing our half of the connection is how the engine learns stdin ended (StdinOnce closes it in the container).
    stream.end(options.stdin);
  }
  return {
    ended,
    finish() {
      const o = out.finish();
      const e = err.finish();
      return { stdout: o.text, stderr: e.text, truncated: o.truncated || e.truncated };
    },
  };
}
