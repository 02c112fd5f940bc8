import { parseAddress, type Address } from "@realmchat/protocol";
import { resolveGroupToJoin } from "../../messaging/resolve-group.ts";
import { LiveRequestError } from "../live-errors.ts";
import type { LiveConnection } from "../live-connection.ts";
import { requireUser, type OpRequest, type OpResult } from "./op-types.ts";

/** Joins a group (any number at once); answers with its recent history and who is in it. */
export async function opJoin(conn: LiveConnection, req: OpRequest<"join">): OpResult {
  const user = await requireUser(conn);
  const address = parseAddress(req.group) as Address;
  const target = await resolveGroupToJoin(conn.realm, user.username, address.user, address.realm);
  if (target.kind === "error") throw new LiveRequestError(target.code, target.message);
  const home = target.kind === "remote" ? target.home : undefined;
  const key = home === undefined ? target.name : `${target.name}@${home}`;
  const hub = conn.realm.groups;
  if (!conn.groups.has(key)) {
    conn.groups.set(key, { name: target.name, home });
    if (home === undefined) hub.join(target.name, conn);
    else await conn.realm.federation.joinRemoteGroup(home, target.name, conn);
  }
  const history = hub.history(target.name, home).map((h) => ({
    kind: h.event.kind,
    member: hub.labelOf(h.event.user, h.event.realm),
    ...(h.event.text === undefined ? {} : { text: h.event.text }),
    ts: h.ts,
  }));
  const members = home === undefined ? hub.members(target.name) : (hub.mirrorRoster(home, target.name) ?? []);
  return { group: target.name, home: home ?? conn.realm.name, history, members };
}
