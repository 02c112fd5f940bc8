import type { Migrations } from "@realmchat/node-runtime";

/**
 * The realm database, one step per schema version (never edit a released step; add one).
 * v1: users, inboxes, sessions (hashed tokens), groups. v2: memberships, the ledger of relayed
 * messages, the federation outbox. v3: queued messages whose senders wait to hear of delivery.
 * v4: group history, and groups merged into another realm's group of the same name. v5: users
 * seeded from the config. v6: group events get ids (older history is paged before one); where
 * each user has read each conversation up to. v7: inbox sequence numbers are given by the realm (in
 * memory), not by an AUTOINCREMENT counter, which cost a write of its own per message.
 */
export const REALM_MIGRATIONS: Migrations = [
  `CREATE TABLE users (
     username TEXT PRIMARY KEY,
     display_name TEXT NOT NULL,
     password_hash TEXT NOT NULL
   );
   CREATE TABLE inbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     recipient TEXT NOT NULL,
     id TEXT NOT NULL,
     sender TEXT NOT NULL,
     sender_name TEXT NOT NULL,
     recipient_name TEXT NOT NULL,
     body TEXT NOT NULL,
     sent_at INTEGER NOT NULL
   );
   CREATE INDEX inbox_by_recipient ON inbox (recipient, seq);
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     username TEXT NOT NULL,
     last_seen INTEGER NOT NULL
   );
   CREATE TABLE groups (
     name TEXT PRIMARY KEY,
     created_by TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );`,
  `CREATE TABLE group_members (
     group_name TEXT NOT NULL,
     username TEXT NOT NULL,
     joined_at INTEGER NOT NULL,
     PRIMARY KEY (group_name, username)
   );
   CREATE TABLE relayed (
     origin TEXT NOT NULL,
     id TEXT NOT NULL,
     outcome TEXT NOT NULL,
     received_at INTEGER NOT NULL,
     PRIMARY KEY (origin, id)
   );
   CREATE INDEX relayed_by_age ON relayed (received_at);
   CREATE TABLE outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     entry TEXT NOT NULL
   );`,
  `CREATE TABLE awaited_delivery (
     id TEXT PRIMARY KEY,
     sender TEXT NOT NULL,
     recipient TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX awaited_by_age ON awaited_delivery (at);`,
  `ALTER TABLE groups ADD COLUMN merged_into TEXT;
   ALTER TABLE groups ADD COLUMN merge_pending INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE group_history (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     group_name TEXT NOT NULL,
     kind TEXT NOT NULL,
     user TEXT NOT NULL,
     realm TEXT NOT NULL,
     body TEXT,
     ts INTEGER NOT NULL
   );
   CREATE INDEX group_history_by_time ON group_history (group_name, ts, seq);`,
  // Users from the config seed the store once each: deleted or changed later, they stay so.
  `CREATE TABLE seeded_users (username TEXT PRIMARY KEY);`,
  `ALTER TABLE group_history ADD COLUMN eid TEXT;
   UPDATE group_history SET eid = 'h' || seq;
   CREATE INDEX group_history_by_eid ON group_history (group_name, eid);
   CREATE TABLE read_markers (
     username TEXT NOT NULL,
     conversation TEXT NOT NULL,
     ts INTEGER NOT NULL,
     PRIMARY KEY (username, conversation)
   );`,
  `CREATE TABLE inbox_v7 (
     seq INTEGER PRIMARY KEY,
     recipient TEXT NOT NULL,
     id TEXT NOT NULL,
     sender TEXT NOT NULL,
     sender_name TEXT NOT NULL,
     recipient_name TEXT NOT NULL,
     body TEXT NOT NULL,
     sent_at INTEGER NOT NULL
   );
   INSERT INTO inbox_v7 (seq, recipient, id, sender, sender_name, recipient_name, body, sent_at)
     SELECT seq, recipient, id, sender, sender_name, recipient_name, body, sent_at FROM inbox;
   DROP TABLE inbox;
   ALTER TABLE inbox_v7 RENAME TO inbox;
   CREATE INDEX inbox_by_recipient ON inbox (recipient, seq);
   DELETE FROM sqlite_sequence WHERE name = 'inbox';`,
];
