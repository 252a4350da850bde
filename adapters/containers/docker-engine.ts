// The Docker engine client (dockerode, imported only under adapters/containers) and its errors as AuraErrors.
import Docker from 'dockerode';
import { AuraError } from '../../core/domain/errors';

export interface DockerEngine {
  docker: Docker;
  /** Where the engine is expected, for messages: the DOCKER_HOST value or the default socket. */
  host: string;
}

export const defaultDockerHost = 'unix:///var/run/docker.sock';

/** A client for DOCKER_HOST (unix:// or tcp://); without one, dockerode's own defaults (incl. DOCKER_TLS_*). */
export function createDockerEngine(dockerHost?: string): DockerEngine {
  if (!dockerHost || dockerHost === process.env.DOCKER_HOST) {
    return { docker: new Docker(), host: process.env.DOCKER_HOST || defaultDockerHost };
  }
  if (dockerHost.startsWith('unix://')) return { docker: new Docker({ socketPath: dockerHost.slice('unix://'.length) }), host: dockerHost };
  const match = /^(tcp|http|https):\/\/([^:/]+)(?::(\d+))?\/?$/.exec(dockerHost);
  if (!match) throw new AuraError('config', `DOCKER_HOST=${JSON.stringify(dockerHost)}: expected unix:///path/docker.sock or tcp://host:port`);
  const protocol = match[1] === 'https' ? 'https' : 'http';
  return { docker: new Docker({ protocol, host: match[2], port: Number(match[3] ?? (protocol === 'https' ? 2376 : 2375)) }), host: dockerHost };
}

const connectionCodes = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EACCES']);

interface EngineFailure {
  code?: string;
  statusCode?: number;
  message?: string;
  json?: { message?: string } | null;
}

/** Whether the error means the engine could not be talked to at all (as opposed to refusing a request). */
export function isConnectionError(error: unknown): boolean {
  const e = error as EngineFailure;
  return (!!e?.code && connectionCodes.has(e.code)) || /socket hang up|connect E|aborted|premature close/i.test(e?.message ?? '');
}

function why(error: EngineFailure): string {
  if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') return `nothing listens there (${error.code}): start dockerd or set DOCKER_HOST`;
  if (error.code === 'EACCES') return 'permission denied on the socket: run as a user allowed to use Docker';
  return error.message ?? String(error);
}

/** Maps an engine failure to an AuraError: unreachable → 'unavailable' (retryable), 404 → 'not_found', 400 → 'invalid_input'. */
export function engineError(error: unknown, doing: string, host: string): AuraError {
  if (AuraError.is(error)) return error;
  const e = (error ?? {}) as EngineFailure;
  if (isConnectionError(error)) {
    return new AuraError('unavailable', `Docker engine at ${host} is unreachable while ${doing}: ${why(e)}`, { cause: error, details: { host } });
  }
  const message = e.json?.message ?? e.message ?? String(error);
  if (e.statusCode === 404) return new AuraError('not_found', `${doing}: ${message}`, { cause: error });
  if (e.statusCode === 400) return new AuraError('invalid_input', `${doing}: ${message}`, { cause: error });
  if (e.statusCode === 409) return new AuraError('conflict', `${doing}: ${message}`, { cause: error });
  return new AuraError('internal', `${doing}: ${message}`, { cause: error });
}

/** Whether the engine answers within timeoutMs, and why not. */
export async function pingEngine(engine: DockerEngine, timeoutMs = 2_000): Promise<{ ok: boolean; detail: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `Docker engine at ${engine.host} did not answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const probe = engine.docker.version().then(
    (v) => ({ ok: true, detail: `Docker ${v.Version} (API ${v.ApiVersion}) at ${engine.host}` }),
    (error: unknown) => ({ ok: false, detail: engineError(error, 'pinging', engine.host).message }),
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
