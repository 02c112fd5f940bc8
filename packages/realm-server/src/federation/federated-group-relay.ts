import type { GroupEventRelay } from "../groups/group-bus.ts";
import type { GroupEventFact } from "../groups/group-event.ts";
import { newMessageId } from "../message-id.ts";
import type { FederationPort } from "./federation-port.ts";

/** Sends the events of groups homed here to member realms, as `gevent` frames through the bridge. */
export class FederatedGroupRelay implements GroupEventRelay {
  readonly #realm: string;
  readonly #port: FederationPort;

  constructor(realm: string, port: FederationPort) {
    this.#realm = realm;
    this.#port = port;
  }

  relayGroupEvent(toRealm: string, group: string, event: GroupEventFact, ts: number): void {
    this.#port.send({
      t: "gevent",
      id: newMessageId(),
      origin: this.#realm,
      to: toRealm,
      group,
      kind: event.kind,
      user: event.user,
      realm: event.realm,
      ...(event.text === undefined ? {} : { text: event.text }),
      ...(event.eid === undefined ? {} : { eid: event.eid }),
      ts,
    });
  }
}
