// The HTTP API (hono): /health (process up), /ready (dependencies), /metrics (Prometheus text).
import { Hono } from 'hono';
import type { CoreContext } from '../../core/core-context';
import { checkReadiness } from '../../core/observability/readiness';

export function createApiApp(core: CoreContext): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok', pid: process.pid, uptimeSeconds: Math.round(process.uptime()) }));
  app.get('/ready', async (c) => {
    const report = await checkReadiness(core.readiness);
    return c.json(report, report.ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    const body = await core.metrics.registry.metrics();
    return c.body(body, 200, { 'content-type': core.metrics.registry.contentType });
  });
  app.notFound((c) => c.json({ error: 'not_found', message: `No route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    core.logger.error({ err: error.message, path: c.req.path }, 'unhandled API error');
    // Nothing internal leaks to the caller: the log has the detail.
    return c.json({ error: 'internal', message: 'Internal error; see the server log.' }, 500);
  });
  return app;
}
