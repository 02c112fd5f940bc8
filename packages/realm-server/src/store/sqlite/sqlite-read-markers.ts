import type { SqlDatabase } from "@realmchat/node-runtime";
import { MAX_READ_MARKERS, type ReadMarker, type ReadMarkerStore } from "../realm-store.ts";
import type { StoreContext } from "./store-context.ts";

type MarkerWrite = { readonly username: string; readonly conversation: string; readonly ts: number };

const setMarker = (db: SqlDatabase, m: MarkerWrite): ReadMarker => {
  db.prepare(
    "INSERT INTO read_markers (username, conversation, ts) VALUES (?, ?, ?) ON CONFLICT (username, conversation) DO UPDATE SET " +
      "ts = max(ts, excluded.ts)",
  ).run(m.username, m.conversation, m.ts);
  db.prepare(
    "DELETE FROM read_markers WHERE username = ? AND conversation NOT IN (SELECT conversation FROM read_markers WHERE username = ? " +
      "ORDER BY ts DESC LIMIT ?)",
  ).run(m.username, m.username, MAX_READ_MARKERS);
  const row = db.prepare("SELECT ts FROM read_markers WHERE username = ? AND conversation = ?").get(m.username, m.conversation);
  return { conversation: m.conversation, ts: Number(row?.ts ?? m.ts) };
};

const listMarkers = (db: SqlDatabase, username: string): ReadMarker[] =>
  db
    .prepare("SELECT conversation, ts FROM read_markers WHERE username = ? ORDER BY conversation")
    .all(username)
    .map((r) => ({ conversation: String(r.conversation), ts: Number(r.ts) }));

/** Read markers in the realm's SQLite file, written in the commit of their turn. */
export class SqliteReadMarkers implements ReadMarkerStore {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  set(username: string, conversation: string, ts: number): Promise<ReadMarker> {
    return this.#ctx.commits.run(setMarker, { username, conversation, ts });
  }

  list(username: string): Promise<readonly ReadMarker[]> {
    return this.#ctx.commits.run(listMarkers, username);
  }
}
