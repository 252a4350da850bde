// The model gateway's HTTP listener: /anthropic, /openai and /gemini routed to the core, answers streamed through as they arrive.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { AuraError } from '../../core/domain/errors';
import type { Exchange } from '../../core/gateway/exchange-record';
import type { GatewayCall, GatewayTransport, UpstreamRequest } from '../../core/gateway/gateway-call';
import type { GatewayService } from '../../core/gateway/gateway-service';
import { gatewayProtocols, type GatewayProtocol } from '../../core/gateway/model-gateway';
import { protocolPrefixes } from '../../core/gateway/wire-protocols';
import type { Logger } from '../../core/observability/logger';

export interface GatewayListenerOptions {
  service: GatewayService;
  host: string;
  port: number;
  logger: Logger;
  /** Largest request body accepted (an agent's whole context goes in one request). Default 32 MiB. */
  maxBodyBytes?: number;
}

export interface GatewayListener {
  /** http://HOST:PORT, the origin every grant's base URLs start with. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Response headers that belong to one hop, not to the answer. */
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'trailer']);
const byPrefix = new Map<string, GatewayProtocol>(gatewayProtocols.map((p) => [protocolPrefixes[p], p]));

export async function startGatewayListener(options: GatewayListenerOptions): Promise<GatewayListener> {
  const { service, logger } = options;
  const maxBody = options.maxBodyBytes ?? 32 * 1024 * 1024;
  // Upstream connections are kept open between calls: a TLS handshake per call would cost more than the gateway itself.
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const slash = url.pathname.indexOf('/', 1);
    const protocol = byPrefix.get(slash === -1 ? url.pathname : url.pathname.slice(0, slash));
    if (!protocol) return sendPlain(res, 404, `Aura gateway: no protocol at ${url.pathname}; use ${gatewayProtocols.map((p) => protocolPrefixes[p]).join(', ')}.`);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) {
        sendPlain(res, 413, `Aura gateway: the request body is over ${maxBody} bytes.`);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBody) return;
      const call: GatewayCall = { protocol, method: req.method ?? 'GET', path: url.pathname.slice(slash), query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      void service.handle(call, transportFor(res));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function transportFor(res: http.ServerResponse): GatewayTransport {
    return {
      forward: (upstream) => forward(upstream, res),
      send(exchange) {
        if (res.headersSent) return void res.destroy();
        res.writeHead(exchange.status, exchange.headers);
        res.end(exchange.body);
      },
    };
  }

  function forward(upstream: UpstreamRequest, res: http.ServerResponse): Promise<Exchange> {
    return new Promise<Exchange>((resolve, reject) => {
      const target = new URL(upstream.url);
      const client = target.protocol === 'https:' ? https : http;
      const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
      const request = client.request(target, { method: upstream.method, headers: upstream.headers, agent });
      let settled = false;
      const settle = (fn: () => void) => {
        if (!settled) {
          settled = true;
          fn();
        }
      };
      request.on('error', (error) => settle(() => reject(new AuraError('unavailable', upstream.scrub(`${target.host}: ${error.message}`), { cause: error }))));
      request.on('response', (answer) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !hopByHop.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        const body: Buffer[] = [];
        const done = () => settle(() => resolve({ status: answer.statusCode ?? 502, headers, body: Buffer.concat(body) }));
        answer.on('data', (chunk: Buffer) => {
          body.push(chunk);
          // Each piece goes to the agent as it arrives; a slow reader pauses the upstream instead of filling memory.
          if (!res.write(chunk)) {
            answer.pause();
            res.once('drain', () => answer.resume());
          }
        });
        answer.on('end', () => {
          res.end();
          done();
        });
        // An upstream cut mid-answer: the agent sees its connection end; what passed is still metered.
        answer.on('error', () => {
          res.destroy();
          done();
        });
        answer.on('aborted', () => {
          res.destroy();
          done();
        });
      });
      // The agent went away: stop the upstream call too (its tokens so far are whatever the provider bills).
      res.on('close', () => {
        if (!res.writableFinished) request.destroy();
      });
      request.end(upstream.body);
    });
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : error.code === 'EACCES' ? 'is not allowed for this user' : `cannot be opened (${error.message})`;
      reject(new AuraError('config', `Port ${options.port} on ${options.host} ${why}. Stop the other process or set AURA_GATEWAY_PORT to another port.`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  service.listening(url);
  logger.info({ url }, 'model gateway listening');
  return {
    url,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        agents['http:'].destroy();
        agents['https:'].destroy();
        server.close(() => resolve());
      }),
  };
}

function sendPlain(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', 'x-should-retry': 'false' });
  res.end(JSON.stringify({ error: { message } }));
}
