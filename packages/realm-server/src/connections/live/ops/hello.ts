import { LIVE_VERSION } from "@realmchat/protocol";
import type { LiveClient, OpRequest, OpResult } from "./live-op.ts";

export async function opHello(client: LiveClient, _req: OpRequest<"hello">): OpResult<"hello"> {
  return { server: "realmchat", v: LIVE_VERSION, realm: client.realm };
}
