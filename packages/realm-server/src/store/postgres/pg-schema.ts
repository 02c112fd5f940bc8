/**
 * The realm database on PostgreSQL, one step per schema version, as for SQLite (never edit a
 * released step; add one). The same tables as `sqlite/realm-schema.ts`, in PostgreSQL's types.
 */
export const PG_REALM_MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     username TEXT PRIMARY KEY,
     display_name TEXT NOT NULL,
     password_hash TEXT NOT NULL
   );
   CREATE TABLE inbox (
     seq BIGSERIAL PRIMARY KEY,
     recipient TEXT NOT NULL,
     id TEXT NOT NULL,
     sender TEXT NOT NULL,
     sender_name TEXT NOT NULL,
     recipient_name TEXT NOT NULL,
     body TEXT NOT NULL,
     sent_at BIGINT NOT NULL
   );
   CREATE INDEX inbox_by_recipient ON inbox (recipient, seq);
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     username TEXT NOT NULL,
     last_seen BIGINT NOT NULL
   );
   CREATE INDEX sessions_by_user ON sessions (username);
   CREATE TABLE groups (
     name TEXT PRIMARY KEY,
     created_by TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     merged_into TEXT,
     merge_pending BOOLEAN NOT NULL DEFAULT FALSE
   );
   CREATE TABLE group_members (
     group_name TEXT NOT NULL,
     member TEXT NOT NULL,
     seq BIGSERIAL,
     PRIMARY KEY (group_name, member)
   );
   CREATE TABLE group_history (
     seq BIGSERIAL PRIMARY KEY,
     group_name TEXT NOT NULL,
     kind TEXT NOT NULL,
     username TEXT NOT NULL,
     realm TEXT NOT NULL,
     body TEXT,
     ts BIGINT NOT NULL
   );
   CREATE INDEX group_history_by_time ON group_history (group_name, ts, seq);
   CREATE TABLE relayed (
     origin TEXT NOT NULL,
     id TEXT NOT NULL,
     outcome TEXT NOT NULL,
     received_at BIGINT NOT NULL,
     PRIMARY KEY (origin, id)
   );
   CREATE INDEX relayed_by_age ON relayed (received_at);
   CREATE TABLE outbox (
     seq BIGSERIAL PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     entry TEXT NOT NULL
   );
   CREATE TABLE awaited_delivery (
     id TEXT PRIMARY KEY,
     sender TEXT NOT NULL,
     recipient TEXT NOT NULL,
     at BIGINT NOT NULL
   );
   CREATE INDEX awaited_by_age ON awaited_delivery (at);`,
  // v2: what one instance tells the others, in the order of its position (live pushes).
  `CREATE TABLE live_events (
     position BIGSERIAL PRIMARY KEY,
     instance TEXT NOT NULL,
     username TEXT NOT NULL,
     event TEXT NOT NULL,
     at BIGINT NOT NULL
   );
   CREATE INDEX live_events_by_age ON live_events (at);`,
  // v3: the instances' shared log (live pushes, group events, federation frames), in commit
  // order; who is online in home groups, per instance; which instances are alive.
  `DROP TABLE live_events;
   CREATE TABLE cluster_events (
     position BIGSERIAL PRIMARY KEY,
     instance TEXT NOT NULL,
     body TEXT NOT NULL,
     at BIGINT NOT NULL
   );
   CREATE INDEX cluster_events_by_age ON cluster_events (at);
   CREATE TABLE cluster_instances (
     id TEXT PRIMARY KEY,
     last_seen BIGINT NOT NULL
   );
   CREATE TABLE group_online (
     group_name TEXT NOT NULL,
     username TEXT NOT NULL,
     realm TEXT NOT NULL,
     instance TEXT NOT NULL,
     n INTEGER NOT NULL,
     PRIMARY KEY (group_name, username, realm, instance)
   );`,
  // Users from the config seed the store once each: deleted or changed later, they stay so.
  `CREATE TABLE seeded_users (username TEXT PRIMARY KEY);`,
  // v5: group events get ids (older history is paged before one); read markers.
  `ALTER TABLE group_history ADD COLUMN eid TEXT;
   UPDATE group_history SET eid = 'h' || seq;
   CREATE INDEX group_history_by_eid ON group_history (group_name, eid);
   CREATE TABLE read_markers (
     username TEXT NOT NULL,
     conversation TEXT NOT NULL,
     ts BIGINT NOT NULL,
     PRIMARY KEY (username, conversation)
   );`,
];
