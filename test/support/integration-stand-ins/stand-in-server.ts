// What the integration stand-ins share: a node:http server that logs every request and can be told to fail the next ones.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface InjectedFault {
  status: number;
  /** Sent as Retry-After (seconds). */
  retryAfter?: string;
  body?: string;
  /** How many of the next requests to the path it answers (default 1). */
  times?: number;
  /** Only requests whose path is this. */
  path?: string;
}

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Route = (request: SeenRequest) => Answer | Promise<Answer> | null;

export interface StandInServer {
  url: string;
  /** Every request it got, oldest first (health checks included). */
  requests: SeenRequest[];
  /** Requests whose path is `path`. */
  to(path: string): SeenRequest[];
  inject(fault: InjectedFault): void;
  close(): Promise<void>;
}

export async function startStandInServer(route: Route): Promise<StandInServer> {
  const requests: SeenRequest[] = [];
  const faults: Array<Required<Pick<InjectedFault, 'status' | 'times'>> & InjectedFault> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const seen: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      requests.push(seen);
      const send = (answer: Answer) => {
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
        res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      };
      const fault = faults.find((f) => !f.path || f.path === seen.path);
      if (fault) {
        if (--fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
        return send({ status: fault.status, body: fault.body ?? { message: `stand-in fault ${fault.status}` }, headers: fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {} });
      }
      Promise.resolve(route(seen))
        .then((answer) => send(answer ?? { status: 404, body: { message: `no route ${seen.method} ${seen.path}` } }))
        .catch((error: unknown) => send({ status: 500, body: { message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to: (path) => requests.filter((r) => r.path === path),
    inject: (fault) => faults.push({ ...fault, times: fault.times ?? 1 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The JSON body of a request, or its form fields (Slack's client posts forms). */
export function bodyOf(request: SeenRequest): Record<string, unknown> {
  const type = String(request.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(request.body));
  return request.body ? (JSON.parse(request.body) as Record<string, unknown>) : {};
}
