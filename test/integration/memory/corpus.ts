// The small corpus the search tests ship: notes as a team writes them, queries with the entry each should find
// first, and the lexicon of the stand-in embedding model (which words mean the same).

export const corpus = [
  { scope: 'project', key: 'architecture/database', tags: ['arch'], content: 'We store everything in PostgreSQL 16. Migrations are numbered SQL files applied in one transaction each.' },
  { scope: 'project', key: 'incidents/2026-02-db-down', tags: ['incident'], content: 'On 2 February PostgreSQL went down for forty minutes: the disk filled with WAL. Alert on disk usage above 80%.' },
  { scope: 'project', key: 'architecture/frontend', tags: ['arch'], content: 'The dashboard is written in Preact and bundled by esbuild; charts use uPlot.' },
  { scope: 'project', key: 'conventions/testing', tags: ['conventions'], content: 'Tests run with mocha against a real database; one behaviour per it, named as a sentence.' },
  { scope: 'project', key: 'okrs/q1', tags: ['okr'], content: 'Q1 objective: cut the median build time below five minutes and ship the memory service.' },
  { scope: 'org', key: 'team/oncall', tags: ['team'], content: 'On-call rotation: Ada covers weekdays, Bob covers weekends. Page through the incident channel.' },
  { scope: 'org', key: 'integrations/jira', tags: ['integrations'], content: 'Jira project id AURA-42 receives every failed run as a ticket.' },
  { scope: 'org', key: 'conventions/commits', tags: ['conventions'], content: 'Commit messages are plain sentences saying what the change does.' },
  { scope: 'user', key: 'preferences/review', tags: ['preferences'], content: 'I prefer small pull requests and a summary of risks before the diff.' },
  { scope: 'project', key: 'architecture/queue', tags: ['arch'], content: 'The task queue claims work with FOR UPDATE SKIP LOCKED and leases that expire.' },
  { scope: 'project', key: 'incidents/2026-03-slow-ui', tags: ['incident'], content: 'The dashboard rendered slowly with 5000 tasks; we virtualised the task list.' },
  { scope: 'project', key: 'decisions/cache', tags: ['decision'], content: 'We decided against Redis: PostgreSQL LISTEN/NOTIFY is enough to wake the schedulers.' },
] as const;

/** Queries whose answer shares words with the entry: full text finds them. */
export const keywordQueries = [
  { query: 'disk filled WAL', first: 'incidents/2026-02-db-down' },
  { query: 'mocha tests', first: 'conventions/testing' },
  { query: 'Jira ticket', first: 'integrations/jira' },
  { query: 'SKIP LOCKED leases', first: 'architecture/queue' },
] as const;

/** Queries that say it in other words: only the meaning matches. */
export const semanticQueries = [
  { query: 'outage of the database server', first: 'incidents/2026-02-db-down' },
  { query: 'who answers the pager at night', first: 'team/oncall' },
  { query: 'frontend framework for the UI', first: 'architecture/frontend' },
] as const;

export const lexicon: Record<string, string[]> = {
  database: ['postgresql', 'postgres', 'database', 'db', 'sql', 'wal', 'server'],
  failure: ['down', 'outage', 'crash', 'failed', 'failure', 'incident', 'broke'],
  oncall: ['oncall', 'on-call', 'pager', 'page', 'rotation', 'weekends', 'weekdays', 'night', 'covers', 'answers'],
  ui: ['dashboard', 'ui', 'frontend', 'preact', 'react', 'screen', 'rendered', 'charts'],
  framework: ['framework', 'preact', 'library', 'esbuild', 'bundled'],
  testing: ['test', 'tests', 'mocha', 'behaviour', 'assert'],
  tickets: ['jira', 'ticket', 'issue', 'tracker'],
  queue: ['queue', 'claims', 'lease', 'leases', 'locked', 'schedulers'],
};
