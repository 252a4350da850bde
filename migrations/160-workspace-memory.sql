-- Memory divided into team workspaces (docs/tenancy.md, docs/memory.md): every entry, version and proposal belongs
-- to one, and the same scope/namespace/key may exist in two workspaces independently. Every row that existed
-- before belongs to 'default' (the column's default fills them).
ALTER TABLE aura.memory_versions ADD COLUMN workspace_id text NOT NULL DEFAULT 'default' REFERENCES aura.workspaces (id);
ALTER TABLE aura.memory_versions DROP CONSTRAINT memory_versions_scope_namespace_key_version_key;
ALTER TABLE aura.memory_versions ADD CONSTRAINT memory_versions_entry_version_key UNIQUE (workspace_id, scope, namespace, key, version);
DROP INDEX aura.memory_versions_source_idx;
CREATE UNIQUE INDEX memory_versions_source_idx ON aura.memory_versions (source_event_id, workspace_id, scope, namespace, key) WHERE source_event_id IS NOT NULL;
DROP INDEX aura.memory_versions_event_idx;
CREATE INDEX memory_versions_event_idx ON aura.memory_versions (workspace_id, scope, namespace, key, event_id);

ALTER TABLE aura.memory_entries ADD COLUMN workspace_id text NOT NULL DEFAULT 'default' REFERENCES aura.workspaces (id);
ALTER TABLE aura.memory_entries DROP CONSTRAINT memory_entries_pkey;
ALTER TABLE aura.memory_entries ADD PRIMARY KEY (workspace_id, scope, namespace, key);
DROP INDEX aura.memory_entries_key_idx;
CREATE INDEX memory_entries_key_idx ON aura.memory_entries (workspace_id, scope, namespace, key text_pattern_ops);

ALTER TABLE aura.memory_proposals ADD COLUMN workspace_id text NOT NULL DEFAULT 'default' REFERENCES aura.workspaces (id);
DROP INDEX aura.memory_proposals_pending_idx;
CREATE INDEX memory_proposals_pending_idx ON aura.memory_proposals (workspace_id, created_at) WHERE status = 'pending';
