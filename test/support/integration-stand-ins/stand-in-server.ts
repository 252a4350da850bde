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
  /** The status to answer with; without one the request is answered as usual, after delayMs. */
  status?: number;
  /** Waits this long before answering (a slow or hung system). */
  delayMs?: number;
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
  const faults: Array<Required<Pick<InjectedFault, 'times'>> & InjectedFault> = [];
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
      if (fault && --fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      const status = fault?.status;
      const answer = (): Promise<Answer | null> =>
        status !== undefined
          ? Promise.resolve({ status, body: fault?.body ?? { message: `stand-in fault ${status}` }, headers: fault?.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : ({} as Record<string, string>) })
          : Promise.resolve(route(seen));
      const delayed = fault?.delayMs ? new Promise<void>((r) => setTimeout(r, fault.delayMs)).then(answer) : answer();
      delayed
        .then((a) => (res.destroyed ? undefined : send(a ?? { status: 404, body: { message: `no route ${seen.method} ${seen.path}` } })))
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
