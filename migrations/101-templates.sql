-- Phase templates the Director saved (the shipped library lives in templates/, bundled into dist/templates).
-- Versions only grow: saving a name again adds the next version; older runs keep pointing at what they used.
CREATE TABLE aura.templates (
  name text NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  source text NOT NULL,
  source_hash text NOT NULL,
  from_run_id text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (name, version)
);
