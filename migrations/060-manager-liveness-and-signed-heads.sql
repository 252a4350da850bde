-- Manager liveness and signed chain heads.
--
-- Each running Manager holds a session-scoped advisory lock (class 7307, its lock_key) on a connection of its
-- own and has a row here; a row whose lock nobody holds is a dead Manager (the server frees session locks the
-- moment the connection goes), so its attempts are taken over at once instead of after their leases expire.
CREATE SEQUENCE aura.manager_lock_keys AS integer MINVALUE 1 MAXVALUE 2147483647 CYCLE;

CREATE TABLE aura.managers (
  owner         text        PRIMARY KEY,
  lock_key      integer     NOT NULL UNIQUE,
  host          text        NOT NULL,
  pid           integer     NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now()
);

-- Each head is signed: HMAC(audit key, canonical [stream, seq, hash]). A head moved back by hand (to hide a cut
-- tail) no longer verifies. NULL only for heads not appended to since this migration.
ALTER TABLE aura.event_heads ADD COLUMN hmac text;

-- Which database a signed checkpoint of heads (written outside it, under $AURA_HOME/audit) belongs to.
CREATE TABLE aura.database_identity (
  id         text        PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  only_one   boolean     NOT NULL DEFAULT true UNIQUE CHECK (only_one)
);
INSERT INTO aura.database_identity (id) VALUES (gen_random_uuid()::text);
