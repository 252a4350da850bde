// Runs a model API stand-in as its own process (for e2e suites and containers): scripted over HTTP, stopped by SIGTERM.
//   node --require tsx/cjs test/support/stand-ins/serve-stand-in.ts --protocol openai|anthropic|ollama|gemini [--host 0.0.0.0] [--port 0]
//        [--key-env NAME] [--models m1,m2] [--fallback-text TEXT]
// Prints one JSON line to stdout when listening: {"name":"openai stand-in","url":"http://HOST:PORT","pid":N}.
// The key is read from the environment variable --key-env names, never from the command line (visible in ps).
import { startAnthropicStandIn } from './anthropic-stand-in';
import { startGeminiStandIn } from './gemini-stand-in';
import { startOllamaStandIn } from './ollama-stand-in';
import { startOpenAIStandIn } from './openai-stand-in';
import type { Scripted, StandIn, StandInOptions } from './stand-in-server';

const starters = { openai: startOpenAIStandIn, anthropic: startAnthropicStandIn, ollama: startOllamaStandIn, gemini: startGeminiStandIn } as const;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
  const protocol = argument('protocol');
  if (protocol !== 'openai' && protocol !== 'anthropic' && protocol !== 'ollama' && protocol !== 'gemini') {
    process.stderr.write('serve-stand-in: --protocol openai|anthropic|ollama|gemini is required\n');
    process.exit(2);
  }
  const keyEnv = argument('key-env');
  const apiKey = keyEnv ? process.env[keyEnv] : undefined;
  if (keyEnv && !apiKey) {
    process.stderr.write(`serve-stand-in: --key-env ${keyEnv} names an unset variable\n`);
    process.exit(2);
  }
  const fallbackText = argument('fallback-text');
  const options: Omit<StandInOptions, 'protocol'> = {
    host: argument('host') ?? '127.0.0.1',
    port: Number(argument('port') ?? 0),
    apiKey,
    models: argument('models')?.split(','),
    fallback: fallbackText === undefined ? undefined : (): Scripted => ({ kind: 'answer', text: fallbackText }),
  };
  const standIn: StandIn = await starters[protocol](options);
  process.stdout.write(`${JSON.stringify({ name: standIn.name, url: standIn.url, pid: process.pid })}\n`);
  const stop = () => void standIn.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
