// Connector configurations per workspace: configured (created or replaced) with an event, listed, and looked up by name.
import type { Clock } from '../domain/clock';
import { AuraError, describeIssues } from '../domain/errors';
import { newId } from '../domain/ids';
import type { EventLog } from '../events/event-log';
import type { Queryable, Store } from '../store/store';
import { checkSettings } from './catalogs';
import type { ConnectorKind } from './connector';
import { type ConfigureInput, configureInputSchema, type ConnectorConfig, INTEGRATIONS_STREAM, originOf } from './integration-schema';

interface ConnectorRow {
  id: string;
  workspace_id: string;
  name: string;
  kind: ConnectorKind;
  base_url: string;
  credential_ref: string;
  settings: Record<string, unknown> | string;
  rate_per_second: number;
  burst: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const toConfig = (r: ConnectorRow): ConnectorConfig => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  kind: r.kind,
  baseUrl: r.base_url,
  credentialRef: r.credential_ref,
  settings: typeof r.settings === 'string' ? (JSON.parse(r.settings) as Record<string, unknown>) : r.settings,
  ratePerSecond: Number(r.rate_per_second),
  burst: Number(r.burst),
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export interface ConfigDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
}

/** Creates the connector, or replaces the one of that name in the workspace (its id, bucket and calls stay). */
export async function configureConnector(deps: ConfigDeps, input: ConfigureInput, actor: string): Promise<ConnectorConfig> {
  const parsed = configureInputSchema.safeParse(input);
  if (!parsed.success) throw new AuraError('invalid_input', `Connector configuration is invalid: ${describeIssues(parsed.error.issues)}`);
  const c = parsed.data;
  const settings = checkSettings(c.kind, c.settings);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const existing = (await tx.query<ConnectorRow>('SELECT * FROM aura.integration_connectors WHERE workspace_id = $1 AND name = $2 FOR UPDATE', [c.workspaceId, c.name])).rows[0];
    if (existing && existing.kind !== c.kind) throw new AuraError('conflict', `Connector "${c.name}" in workspace ${c.workspaceId} is a ${existing.kind} connector; give another name for a ${c.kind} one.`);
    const row = existing
      ? (
          await tx.query<ConnectorRow>(
            `UPDATE aura.integration_connectors SET base_url = $2, credential_ref = $3, settings = $4::jsonb, rate_per_second = $5, burst = $6, updated_at = $7 WHERE id = $1 RETURNING *`,
            [existing.id, c.baseUrl, c.credentialRef, JSON.stringify(settings), c.ratePerSecond, c.burst, at],
          )
        ).rows[0]!
      : (
          await tx.query<ConnectorRow>(
            `INSERT INTO aura.integration_connectors (id, workspace_id, name, kind, base_url, credential_ref, settings, rate_per_second, burst, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $11) RETURNING *`,
            [newId('con', deps.clock.now()), c.workspaceId, c.name, c.kind, c.baseUrl, c.credentialRef, JSON.stringify(settings), c.ratePerSecond, c.burst, actor, at],
          )
        ).rows[0]!;
    // A changed limit starts from a full bucket of the new size rather than carrying the old level over.
    if (existing) await tx.query('DELETE FROM aura.integration_rate_buckets WHERE connector_id = $1', [row.id]);
    await deps.events.appendIn(tx, [
      {
        type: 'IntegrationConfigured',
        actor,
        stream: INTEGRATIONS_STREAM,
        payload: { connectorId: row.id, workspaceId: row.workspace_id, name: row.name, kind: row.kind, origin: originOf(row.base_url), credentialRef: row.credential_ref, ratePerSecond: Number(row.rate_per_second), burst: Number(row.burst), created: !existing },
      },
    ]);
    return toConfig(row);
  });
}

export async function listConnectors(q: Queryable, workspaceId?: string): Promise<ConnectorConfig[]> {
  const { rows } = await q.query<ConnectorRow>('SELECT * FROM aura.integration_connectors WHERE ($1::text IS NULL OR workspace_id = $1) ORDER BY workspace_id, name', [workspaceId ?? null]);
  return rows.map(toConfig);
}

export async function connectorByName(q: Queryable, workspaceId: string, name: string): Promise<ConnectorConfig> {
  const row = (await q.query<ConnectorRow>('SELECT * FROM aura.integration_connectors WHERE workspace_id = $1 AND name = $2', [workspaceId, name])).rows[0];
  if (!row) throw new AuraError('not_found', `No connector "${name}" in workspace ${workspaceId}; configure_integration adds one.`);
  return toConfig(row);
}

export async function connectorById(q: Queryable, id: string): Promise<ConnectorConfig> {
  const row = (await q.query<ConnectorRow>('SELECT * FROM aura.integration_connectors WHERE id = $1', [id])).rows[0];
  if (!row) throw new AuraError('not_found', `No connector with id "${id}".`);
  return toConfig(row);
}
