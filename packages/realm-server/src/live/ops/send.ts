import { parseAddress, type Address } from "@realmchat/protocol";
import { sendPrivateMessage } from "../../messaging/send-private-message.ts";
import { LiveRequestError } from "../live-errors.ts";
import type { LiveConnection } from "../live-connection.ts";
import { requireUser, type OpRequest, type OpResult } from "./op-types.ts";

export async function opSend(conn: LiveConnection, req: OpRequest<"send">): OpResult {
  const sender = await requireUser(conn);
  const result = await sendPrivateMessage(conn.realm, sender, parseAddress(req.to) as Address, req.text);
  if (result.kind === "error") throw new LiveRequestError(result.code, result.message);
  return { msgId: result.id, queued: result.queued };
}
