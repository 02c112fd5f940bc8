import { LIVE_VERSION } from "@realmchat/protocol";
import type { LiveConnection } from "../live-connection.ts";
import type { OpRequest, OpResult } from "./op-types.ts";

export async function opHello(conn: LiveConnection, _req: OpRequest<"hello">): OpResult {
  return { server: "realmchat", v: LIVE_VERSION, realm: conn.realm.name };
}
