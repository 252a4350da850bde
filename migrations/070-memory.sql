-- Memory: user, org, project and run entries, every write a version (with its author and event), searchable by
-- PostgreSQL full text and by embeddings. memory_versions is the history (as-of reads, diffs); memory_entries holds
-- each live entry's current version, so search reads one row per entry off its own indexes.
CREATE TABLE aura.memory_versions (
  id          bigserial PRIMARY KEY,
  scope       text NOT NULL CHECK (scope IN ('user', 'org', 'project', 'run')),
  namespace   text NOT NULL,
  key         text NOT NULL,
  version     integer NOT NULL CHECK (version >= 1),
  -- A deletion is a version too (a tombstone): reads as of an earlier time still see what was there.
  deleted     boolean NOT NULL DEFAULT false,
  content     text NOT NULL,
  tags        text[] NOT NULL DEFAULT '{}',
  author      text NOT NULL,
  author_kind text NOT NULL CHECK (author_kind IN ('director', 'manager', 'employee', 'run', 'system')),
  run_id      text,
  -- The MemoryWritten / MemoryDeleted event of this version (as-of reads by event compare against it).
  event_id    bigint,
  -- For writes made from an event (the Manager's lessons of a settled run): that event, so they are made once.
  source_event_id bigint,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz,
  UNIQUE (scope, namespace, key, version)
);
CREATE UNIQUE INDEX memory_versions_source_idx ON aura.memory_versions (source_event_id, scope, namespace, key) WHERE source_event_id IS NOT NULL;
CREATE INDEX memory_versions_event_idx ON aura.memory_versions (scope, namespace, key, event_id);

CREATE TABLE aura.memory_entries (
  scope       text NOT NULL,
  namespace   text NOT NULL,
  key         text NOT NULL,
  version     integer NOT NULL,
  content     text NOT NULL,
  tags        text[] NOT NULL DEFAULT '{}',
  author      text NOT NULL,
  author_kind text NOT NULL,
  run_id      text,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  expires_at  timestamptz,
  -- The key's words count as much as the content's title would: keys are how people name what they store.
  search      tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', translate(key, '/._-', '    ')), 'A') || setweight(to_tsvector('english', content), 'B')
              ) STORED,
  -- Unit-length embedding of key and content (so a dot product is the cosine), and the model that made it;
  -- NULL until the embedding employee has embedded this version.
  embedding   real[],
  embedding_model text,
  PRIMARY KEY (scope, namespace, key)
);
CREATE INDEX memory_entries_search_idx ON aura.memory_entries USING gin (search);
CREATE INDEX memory_entries_tags_idx ON aura.memory_entries USING gin (tags);
CREATE INDEX memory_entries_key_idx ON aura.memory_entries (scope, namespace, key text_pattern_ops);
CREATE INDEX memory_entries_expiry_idx ON aura.memory_entries (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX memory_entries_unembedded_idx ON aura.memory_entries (updated_at) WHERE embedding IS NULL;

-- What employees proposed to remember (through the employee channel) while a policy held it for the Director.
CREATE TABLE aura.memory_proposals (
  id          text PRIMARY KEY,
  scope       text NOT NULL CHECK (scope IN ('user', 'org', 'project', 'run')),
  namespace   text NOT NULL,
  key         text NOT NULL,
  content     text NOT NULL,
  tags        text[] NOT NULL DEFAULT '{}',
  employee_id text NOT NULL,
  run_id      text,
  task_id     text,
  status      text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  note        text,
  created_at  timestamptz NOT NULL,
  resolved_by text,
  resolved_at timestamptz
);
CREATE INDEX memory_proposals_pending_idx ON aura.memory_proposals (created_at) WHERE status = 'pending';
