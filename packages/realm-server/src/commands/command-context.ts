import type { ClassicReply } from "@realmchat/protocol";
import type { ClientConnection } from "../client-connection.ts";
import type { Realm } from "../realm.ts";

export interface CommandContext {
  readonly realm: Realm;
  readonly connection: ClientConnection;
}

/** A handler answers with a reply, or with `undefined` when it switched the connection's mode. */
export type CommandResult = Promise<ClassicReply | undefined>;
