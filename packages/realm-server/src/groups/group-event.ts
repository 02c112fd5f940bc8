import { encodeGroupEvent, encodeLiveFrame, labelFor, type GroupEventKind, type GroupRef } from "@realmchat/protocol";

/** A group event as its home realm states it; each realm renders the member's name for its own users. */
export interface GroupEventFact {
  readonly kind: GroupEventKind;
  readonly user: string;
  readonly realm: string;
  readonly text?: string;
  /** Given by the home as it states the event; kept in the history with it. */
  readonly eid?: string;
}

/**
 * One group event as every member in this process is shown it: each protocol's text is
 * rendered once, when the first member on that protocol asks, not once per member (a line said
 * to a group of hundreds is encoded once for the classic members and once for the live ones).
 */
export class RenderedGroupEvent {
  readonly group: GroupRef;
  readonly event: GroupEventFact;
  /** The realm of the members being shown it: names of its own users go without `@realm`. */
  readonly viewerRealm: string;
  readonly ts: number;
  #classic: string | undefined;
  #live: string | undefined;

  constructor(group: GroupRef, event: GroupEventFact, viewerRealm: string, ts = Date.now()) {
    this.group = group;
    this.event = event;
    this.viewerRealm = viewerRealm;
    this.ts = ts;
  }

  /** The classic line (docs/protocol.md, "Classic group mode"). */
  get classicLine(): string {
    if (this.#classic === undefined) {
      const { event } = this;
      const member = labelFor(event.user, event.realm, this.viewerRealm);
      this.#classic =
        event.kind === "message"
          ? encodeGroupEvent({ kind: "message", member, text: event.text ?? "" })
          : encodeGroupEvent({ kind: event.kind, member });
    }
    return this.#classic;
  }

  /** The live `group` event frame, newline included. */
  get liveFrame(): string {
    if (this.#live === undefined) {
      const { event, group } = this;
      this.#live = encodeLiveFrame({
        ev: "group",
        group: group.name,
        home: group.home,
        kind: event.kind,
        member: labelFor(event.user, event.realm, this.viewerRealm),
        ...(event.text === undefined ? {} : { text: event.text }),
        ts: this.ts,
        ...(event.eid === undefined ? {} : { eventId: event.eid }),
      });
    }
    return this.#live;
  }
}
