import type { Duplex } from "node:stream";
import {
  CoalescingWriter,
  decodeLiveRequest,
  encodeLiveFrame,
  ERROR_CODES,
  LineDecoder,
  type FrameError,
  type LineSink,
  type LiveEvent,
  type LiveReply,
} from "@realmchat/protocol";
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
export class LiveConnection implements LineSink, LocalGroupMember, LivePushTarget {
  readonly realm: Realm;
  readonly peer: string;
  readonly groups = new Map<string, JoinedGroup>();
  readonly #stream: Duplex;
  readonly #decoder: LineDecoder;
  readonly #writer: CoalescingWriter;
  #queue: string[] = [];
  #pumping = false;
  #paused = false;
  #session: LiveSession | undefined;
  #closed = false;

  constructor(realm: Realm, stream: Duplex, peer: string) {
    this.realm = realm;
    this.peer = peer;
    this.#stream = stream;
    this.#decoder = new LineDecoder({ maxFrameBytes: realm.limits.maxFrameBytes });
    this.#writer = new CoalescingWriter(stream, realm.scheduler, () => this.#checkSlowConsumer());
    stream.on("data", (chunk: Buffer) => this.receive(chunk));
    stream.on("close", () => this.#onClose());
    stream.on("error", (err) => realm.logger.info("live connection error", { peer, error: err.message }));
  }

  receive(chunk: Buffer): void {
    if (!this.#closed) this.#decoder.push(chunk, this);
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
    if (line.trim().length === 0) return;
    this.#queue.push(line);
    // A client that sends faster than it is served waits: its socket is not read for a while.
    if (!this.#paused && this.#queue.length >= this.realm.limits.maxPendingRequests) {
      this.#paused = true;
      this.#stream.pause();
    }
    if (!this.#pumping) void this.#pump();
  }

  #checkSlowConsumer(): void {
    if (this.#stream.writableLength > this.realm.limits.maxOutboundBytes) {
      this.realm.logger.warn("live client is not reading; closing", { peer: this.peer });
      this.#stream.destroy();
    }
  }

  onFrameError(error: FrameError): void {
    if (error.code === "FRAME_TOO_LARGE") {
      this.#send({ re: null, ok: false, code: error.code, message: error.message });
      this.#writer.close();
      this.#closed = true;
      this.#stream.end();
      setTimeout(() => this.#stream.destroy(), 1000).unref();
      return;
    }
    this.#send({ re: null, ok: false, code: error.code, message: error.message });
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    while (this.#queue.length > 0 && !this.#closed) {
      const line = this.#queue.shift() as string;
      const decoded = decodeLiveRequest(line);
      if (!decoded.ok) {
        this.#send({ re: decoded.id, ok: false, code: decoded.code, message: decoded.message });
        continue;
      }
      try {
        this.#send(await dispatchLive(this, decoded.request));
      } catch (err) {
        this.realm.logger.error("live request failed", { peer: this.peer, error: (err as Error).stack ?? String(err) });
        this.#send({ re: decoded.request.id, ok: false, code: "INTERNAL", message: ERROR_CODES.INTERNAL });
      }
      if (this.#paused && this.#queue.length < this.realm.limits.maxPendingRequests / 2) {
        this.#paused = false;
        this.#stream.resume();
      }
    }
    this.#pumping = false;
  }

  #send(frame: LiveReply | LiveEvent): void {
    this.#writer.write(encodeLiveFrame(frame));
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
    if (this.#closed) return;
    this.#writer.close();
    this.#closed = true;
    this.#stream.end();
    setTimeout(() => this.#stream.destroy(), 1000).unref();
  }

  #onClose(): void {
    this.#closed = true;
    this.#writer.discard();
    this.unbind();
    this.realm.forgetLive(this);
  }
}
