// The Logger port and its pino implementation: JSON lines with timestamp, level, service and ids.
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';

type LogFn = (objOrMsg: object | string, msg?: string) => void;

export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  service: string;
  level?: string;
  /** Where lines go: 'stdout' for servers, 'stderr' where stdout is a protocol (stdio MCP). */
  destination?: 'stdout' | 'stderr';
  /** Also keep `<logsDir>/<service>/latest.log`. */
  logsDir?: string;
}

/** Keys whose values are never written, wherever they appear in a log object. */
const redactPaths = ['apiKey', '*.apiKey', 'token', '*.token', 'authorization', '*.authorization', 'password', '*.password', 'secret', '*.secret', 'auditKey', '*.auditKey'];

export function createLogger(options: LoggerOptions): Logger {
  const fd = options.destination === 'stderr' ? 2 : 1;
  const streams: pino.StreamEntry[] = [{ stream: pino.destination({ fd, sync: false }) }];
  if (options.logsDir) {
    const dir = path.join(options.logsDir, options.service);
    fs.mkdirSync(dir, { recursive: true });
    streams.push({ stream: pino.destination({ dest: path.join(dir, 'latest.log'), append: true, sync: false, mkdir: true }) });
  }
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams.map((s) => ({ ...s, level: 'trace' as const }))),
  );
}

/** A logger that drops everything (tests, library use). */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
