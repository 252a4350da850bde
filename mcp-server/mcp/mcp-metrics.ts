// Prometheus metrics of the MCP surface: calls by tool and outcome, call duration, open sessions.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface McpMetrics {
  toolCalls: Counter<'tool' | 'outcome'>;
  toolSeconds: Histogram<'tool'>;
  sessions: Gauge<'transport'>;
}

const byRegistry = new WeakMap<Registry, McpMetrics>();

/** One set per registry (a process may build several runtimes on one registry in tests). */
export function mcpMetrics(registry: Registry): McpMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = {
      toolCalls: new Counter({ name: 'aura_mcp_tool_calls_total', help: 'MCP tool calls by tool and outcome (ok, error = isError result, invalid = bad params).', labelNames: ['tool', 'outcome'], registers: [registry] }),
      toolSeconds: new Histogram({ name: 'aura_mcp_tool_call_seconds', help: 'MCP tool call duration inside the server.', labelNames: ['tool'], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30], registers: [registry] }),
      sessions: new Gauge({ name: 'aura_mcp_sessions', help: 'Open MCP sessions by transport.', labelNames: ['transport'], registers: [registry] }),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
