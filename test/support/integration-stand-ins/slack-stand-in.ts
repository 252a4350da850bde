// A stand-in for Slack's Web API (POST /api/chat.postMessage, /api/auth.test): form or JSON bodies, `ok` answers.
import { bodyOf, startStandInServer, type StandInServer } from './stand-in-server';

export interface SlackMessage {
  channel: string;
  text: string;
  threadTs: string | null;
  ts: string;
}

export interface SlackStandIn extends StandInServer {
  messages: SlackMessage[];
}

export async function startSlackStandIn(options: { token: string; channels?: string[] }): Promise<SlackStandIn> {
  const messages: SlackMessage[] = [];
  const channels = new Set(options.channels ?? ['C0123456789', 'general']);
  let clock = 1_712_345_678;
  const server = await startStandInServer((req) => {
    if (req.method !== 'POST' || !req.path.startsWith('/api/')) return null;
    const body = bodyOf(req);
    // Slack takes the token as a Bearer header or a `token` field; a wrong one is HTTP 200 with ok: false.
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || String(body.token ?? '');
    if (token === '') return { status: 200, body: { ok: false, error: 'not_authed' } };
    if (token !== options.token) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    if (req.path === '/api/auth.test') return { status: 200, body: { ok: true, url: 'https://aura.slack.com/', team: 'Aura', user: 'aura-bot', team_id: 'T0001', user_id: 'U0001', bot_id: 'B0001' } };
    if (req.path === '/api/chat.postMessage') {
      const channel = String(body.channel ?? '');
      if (!channels.has(channel.replace(/^#/, ''))) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
      if (typeof body.text !== 'string' || body.text === '') return { status: 200, body: { ok: false, error: 'no_text' } };
      const ts = `${clock++}.000100`;
      const message = { channel, text: body.text, threadTs: typeof body.thread_ts === 'string' ? body.thread_ts : null, ts };
      messages.push(message);
      return { status: 200, body: { ok: true, channel, ts, message: { type: 'message', text: body.text, ts, ...(message.threadTs ? { thread_ts: message.threadTs } : {}) } } };
    }
    return { status: 200, body: { ok: false, error: 'unknown_method' } };
  });
  return Object.assign(server, { messages });
}
