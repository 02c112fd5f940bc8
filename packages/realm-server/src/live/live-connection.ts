import type { Duplex } from "node:stream";
import {
  decodeLiveRequest,
  encodeLiveFrame,
  ERROR_CODES,
  LineDecoder,
  type FrameError,
  type LineSink,
  type LiveEvent,
  type LiveReply,
} from "@realmchat/protocol";
import { ClientTransport, type TransportOwner } from "../client-transport.ts";
import type { GroupEventFact, LocalGroupMember } from "../group-hub.ts";
import type { Realm } from "../realm.ts";
import { dispatchLive } from "./dispatch-live.ts";
import type { LivePushTarget } from "./presence.ts";

export interface LiveSession {
  readonly username: string;
  readonly token: string;
}

/** A group this connection is in: `home` is undefined for a group of this realm. */
export interface JoinedGroup {
  readonly name: string;
  readonly home: string | undefined;
}

/**
 * One client on the live protocol (docs/protocol.md, "Live protocol"): requests with ids, served
 * one after another; events pushed as they happen; any number of groups at once.
 */
export class LiveConnection implements LineSink, LocalGroupMember, LivePushTarget, TransportOwner<string> {
  readonly realm: Realm;
  readonly peer: string;
  readonly groups = new Map<string, JoinedGroup>();
  readonly #transport: ClientTransport<string>;
  readonly #decoder: LineDecoder;
  #session: LiveSession | undefined;

  constructor(realm: Realm, stream: Duplex, peer: string) {
    this.realm = realm;
    this.peer = peer;
    this.#decoder = new LineDecoder({ maxFrameBytes: realm.limits.maxFrameBytes });
    this.#transport = new ClientTransport(realm, stream, peer, this);
  }

  receive(chunk: Buffer): void {
    if (!this.#transport.closed) this.#decoder.push(chunk, this);
  }

  get session(): LiveSession | undefined {
    return this.#session;
  }

  get username(): string {
    return this.#session?.username ?? "";
  }

  /** Binds the connection to a session (after auth or resume); events for that user come here. */
  bind(session: LiveSession): void {
    if (this.#session !== undefined) this.unbind();
    this.#session = session;
    this.realm.presence.add(this);
  }

  unbind(): void {
    if (this.#session === undefined) return;
    for (const group of [...this.groups.values()]) this.leaveGroup(group);
    this.realm.presence.remove(this);
    this.#session = undefined;
  }

  leaveGroup(group: JoinedGroup): void {
    this.groups.delete(group.home === undefined ? group.name : `${group.name}@${group.home}`);
    if (group.home === undefined) this.realm.groups.leave(group.name, this);
    else this.realm.federation.leaveRemoteGroup(group.home, group.name, this);
  }

  onLine(line: string): void {
    if (line.trim().length > 0) this.#transport.enqueue(line);
  }

  onFrameError(error: FrameError): void {
    this.#send({ re: null, ok: false, code: error.code, message: error.message });
    if (error.code === "FRAME_TOO_LARGE") this.#transport.close();
  }

  async serve(line: string): Promise<void> {
    const decoded = decodeLiveRequest(line);
    if (!decoded.ok) {
      this.#send({ re: decoded.id, ok: false, code: decoded.code, message: decoded.message });
      return;
    }
    try {
      this.#send(await dispatchLive(this, decoded.request));
    } catch (err) {
      this.realm.logger.error("live request failed", { peer: this.peer, error: (err as Error).stack ?? String(err) });
      this.#send({ re: decoded.request.id, ok: false, code: "INTERNAL", message: ERROR_CODES.INTERNAL });
    }
  }

  #send(frame: LiveReply | LiveEvent): void {
    this.#transport.write(encodeLiveFrame(frame));
  }

  pushEvent(event: LiveEvent): void {
    this.#send(event);
  }

  deliverGroupEvent(group: string, home: string, event: GroupEventFact, _line: string): void {
    this.#send({
      ev: "group",
      group,
      home,
      kind: event.kind,
      member: this.realm.groups.labelOf(event.user, event.realm),
      ...(event.text === undefined ? {} : { text: event.text }),
      ts: Date.now(),
    });
  }

  deliverGroupNotice(group: string, text: string): void {
    this.#send({ ev: "notice", text: `${group}: ${text}` });
  }

  close(): void {
    this.#transport.close();
  }

  onTransportClosed(): void {
    this.unbind();
    this.realm.forgetLive(this);
  }
}
