import { handled, describeError, type FederationLink, type Logger } from "@realmchat/node-runtime";
import { isGroupFrame, isRoutedFrame, type AckResult, type FederationFrame, type FrameOf } from "@realmchat/protocol";
import type { ExpiryNotices } from "./expiry-notices.ts";
import type { OutboxPumpScheduler } from "./outbox-pump-scheduler.ts";
import type { PeerState } from "./peer-state.ts";
import type { RealmDelivery } from "./realm-delivery.ts";

/** What the intake needs of its bridge. */
export interface RealmIntakeContext {
  readonly realm: string;
  readonly logger: Logger;
  /** The peers, by realm (a peer added by a reload is here from then on). */
  readonly peers: ReadonlyMap<string, PeerState>;
  /** Messages from peers until our realm has answered for them. */
  readonly toRealm: RealmDelivery;
  readonly pumps: OutboxPumpScheduler;
  readonly expiry: ExpiryNotices;
  /** The link to our realm server, while there is one. */
  realmLink(): FederationLink | undefined;
  /** Our realm's directory: to be told to each peer now and to each peer that links later. */
  ownDirectory(frame: FrameOf<"directory">): void;
}

/**
 * Frames from our own realm server: its directory, its private messages for peers (held while
 * the peer is linked, committed and answered `queued` otherwise), its group frames for their
 * realms, and its answers about messages from peers, which go back to them.
 */
export class RealmIntake {
  readonly #context: RealmIntakeContext;

  constructor(context: RealmIntakeContext) {
    this.#context = context;
  }

  /** A message of our realm for a peer: held in memory while the peer is linked, committed and answered `queued` otherwise. */
  #queueFromRealm(frame: FrameOf<"dm">): void {
    const peer = this.#context.peers.get(frame.to);
    if (peer === undefined) {
      this.#context.realmLink()?.send({
        t: "ack",
        id: frame.id,
        origin: this.#context.realm,
        status: "rejected",
        code: "USER_NOT_FOUND",
        message: `unknown realm '${frame.to}'`,
      });
      return;
    }
    if (peer.link !== undefined) {
      peer.outbox.hold(frame);
      this.#context.pumps.schedule(peer);
      return;
    }
    handled(this.#takeOver(peer, frame), this.#realmFrameFailed);
  }

  async #takeOver(peer: PeerState, frame: FrameOf<"dm">): Promise<void> {
    try {
      await peer.outbox.takeOver(frame);
    } catch (err) {
      this.#context.logger.error("queueing a message failed; the realm will offer it again", { id: frame.id, error: describeError(err) });
      return;
    }
    this.#context.realmLink()?.send({ t: "ack", id: frame.id, origin: this.#context.realm, status: "queued" });
  }

  /** A defect (queueing failures are answered in #takeOver): the realm offers the message again all the same. */
  readonly #realmFrameFailed = (err: unknown): void => {
    this.#context.logger.error("a message from the realm was not handled; the realm will offer it again", { error: describeError(err) });
  };

  onFrame(frame: FederationFrame): void {
    if ((isRoutedFrame(frame) || frame.t === "batch") && frame.origin !== this.#context.realm) {
      this.#context.logger.warn("realm sent a frame of another origin; dropped", { t: frame.t, origin: frame.origin });
      return;
    }
    if (isGroupFrame(frame)) {
      const link = this.#context.peers.get(frame.to)?.link;
      if (link === undefined) this.#context.logger.info("group frame for an unreachable realm dropped", { t: frame.t, to: frame.to });
      else link.send(frame);
      return;
    }
    switch (frame.t) {
      case "directory":
        if (frame.realm !== this.#context.realm) return;
        this.#context.ownDirectory(frame);
        return;
      case "dm":
        this.#queueFromRealm(frame);
        return;
      case "batch":
        for (const item of frame.items) {
          const { id, from, fromName, user, text, sentAt } = item;
          this.#queueFromRealm({ t: "dm", id, origin: this.#context.realm, to: frame.to, from, fromName, user, text, sentAt });
        }
        return;
      case "ack":
        // Our realm stored an expiry notice.
        if (frame.origin === this.#context.realm) this.#context.expiry.stored(frame.id);
        else
          this.#realmAnswered(frame.origin, [
            {
              id: frame.id,
              status: frame.status === "rejected" ? "rejected" : "stored",
              ...(frame.code === undefined ? {} : { code: frame.code }),
              ...(frame.message === undefined ? {} : { message: frame.message }),
            },
          ]);
        return;
      case "acks":
        this.#realmAnswered(frame.origin, frame.results);
        return;
      default:
        return;
    }
  }

  /** Our realm stored (or refused) messages from `origin`: remember the answers and pass them back. */
  #realmAnswered(origin: string, results: readonly AckResult[]): void {
    const peer = this.#context.peers.get(origin);
    for (const r of results) {
      this.#context.toRealm.done(origin, r.id);
      peer?.inbound.set(r.id, r);
    }
    peer?.link?.send({ t: "acks", origin, results });
  }
}
