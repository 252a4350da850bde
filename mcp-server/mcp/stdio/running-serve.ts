// Finds an `aura serve` already running on this AURA_HOME (its serve.json, with a live pid and an MCP URL).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const serveStateSchema = z.object({ pid: z.number().int().positive(), apiUrl: z.string().optional(), mcpUrl: z.string().url().optional() });

export type ServeState = z.infer<typeof serveStateSchema>;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running server's state, or undefined when none runs (no file, unreadable, or its process is gone). */
export function runningServe(home: string): (ServeState & { mcpUrl: string }) | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(home, 'serve.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = serveStateSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.mcpUrl || parsed.data.pid === process.pid || !alive(parsed.data.pid)) return undefined;
  return { ...parsed.data, mcpUrl: parsed.data.mcpUrl };
}
