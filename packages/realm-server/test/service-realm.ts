import type { FederationFrame, GroupRef, LiveEvent } from "@realmchat/protocol";
import type { LocalGroupMember } from "../src/groups/group-bus.ts";
import type { RenderedGroupEvent } from "../src/groups/group-event.ts";
import { BridgeLinkPort, type BridgeLink } from "../src/federation/federation-port.ts";
import { hashPassword } from "../src/password-hash.ts";
import { LocalPresence } from "../src/presence/local-presence.ts";
import type { LivePushTarget } from "../src/presence/presence.ts";
import type { StoredMessage } from "../src/store/realm-store.ts";
import { Realm } from "../src/realm.ts";
import type { SqliteRealmStore } from "../src/store/sqlite/sqlite-realm-store.ts";
import { temporarySqliteStore } from "./support/temporary-store.ts";

/**
 * A realm for tests of its services: the real composition (store, services, group bus, presence,
 * federation) with no sockets. Its bridge is a link that records what the realm sends, and the
 * tests play the bridge's answers through `realm.federation.onLinkFrame`.
 */
export async function serviceRealm(
  name = "realm1",
  users: readonly string[] = ["messi", "henderson"],
): Promise<{
  readonly realm: Realm;
  readonly store: SqliteRealmStore;
  readonly port: BridgeLinkPort;
  readonly presence: LocalPresence;
  readonly bridge: RecordingBridge;
}> {
  const store = temporarySqliteStore();
  const passwordHash = await hashPassword("secret");
  for (const username of users) await store.users.put({ username, displayName: username.toUpperCase(), passwordHash });
  const port = new BridgeLinkPort();
  const presence = new LocalPresence();
  const realm = new Realm({ name, store, federationPort: port, presence });
  return { realm, store, port, presence, bridge: new RecordingBridge() };
}

export class RecordingBridge implements BridgeLink {
  readonly frames: FederationFrame[] = [];
  send(frame: FederationFrame): void {
    this.frames.push(frame);
  }
  close(): void {}
  last<T extends FederationFrame["t"]>(t: T): Extract<FederationFrame, { t: T }> | undefined {
    return this.frames.findLast((f): f is Extract<FederationFrame, { t: T }> => f.t === t);
  }
}

/** A group member that keeps the lines and notices it is shown. */
export class RecordingMember implements LocalGroupMember, LivePushTarget {
  readonly lines: string[] = [];
  readonly events: LiveEvent[] = [];
  readonly username: string;
  constructor(username: string) {
    this.username = username;
  }
  deliverGroupEvent(event: RenderedGroupEvent): void {
    this.lines.push(event.classicLine);
  }
  deliverGroupNotice(group: string, text: string): void {
    this.lines.push(`* ${group}: ${text}\n`);
  }
  /** The groups this member was moved out of and into, as `from -> to`. */
  readonly moves: string[] = [];
  moveGroup(from: GroupRef, to: GroupRef, text: string): void {
    this.moves.push(`${from.name}@${from.home} -> ${to.name}@${to.home}`);
    this.lines.push(`* ${text}\n`);
  }
  pushEvent(event: LiveEvent): void {
    this.events.push(event);
  }
  pushMessage(m: StoredMessage): void {
    this.events.push({ ev: "message", msgId: m.id, from: m.from, fromName: m.fromName, text: m.text, ts: m.sentAt });
  }
}
