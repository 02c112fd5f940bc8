import {
  decodeLiveRequest,
  encodeLiveFrame,
  ERROR_CODES,
  formatGroupRef,
  labelFor,
  LineDecoder,
  type FrameError,
  type GroupRef,
  type LineSink,
  type LiveEvent,
  type LiveOp,
  type LiveReply,
  type LiveResult,
  type RequestId,
} from "@realmchat/protocol";
import { describeError } from "@realmchat/node-runtime";
import type { RenderedGroupEvent } from "../../groups/group-event.ts";
import type { LivePushTarget } from "../../presence/presence.ts";
import type { Session, StoredMessage } from "../../store/realm-store.ts";
import { DeliveryLog } from "./delivery-log.ts";
import { ClientTransport, type TransportOwner, type ClientStream } from "../client-transport.ts";
import { ConnectionDeadlines, OVERDUE_MESSAGES } from "../connection-deadlines.ts";
import type { ConnectionContext } from "../connection-context.ts";
import { dispatchLive, refusalReply, type Dispatched } from "./live-dispatch.ts";
import { LaterReply, type LaterReplyListener, type LiveClient } from "./ops/live-op.ts";

/**
 * One client on the live protocol (docs/protocol.md, "Live protocol"): requests with ids, served
 * one after another; events pushed as they happen; any number of groups at once.
 */
/** Replies a connection may owe at once (sends to other realms awaiting their answer). */
const MAX_UNANSWERED = 256;

export class LiveConnection implements LineSink, LiveClient, LivePushTarget, LaterReplyListener, TransportOwner<string> {
  readonly peer: string;
  readonly openedAt = Date.now();
  readonly realm: string;
  readonly joined = new Map<string, GroupRef>();
  readonly deliveries = new DeliveryLog();
  readonly #context: ConnectionContext;
  readonly #transport: ClientTransport<string>;
  /** Replies to come (LaterReply), and who waits for one of them to come. */
  #unanswered = 0;
  #slotFree: (() => void) | undefined;
  readonly #decoder: LineDecoder;
  readonly #deadlines: ConnectionDeadlines;
  #session: Session | undefined;
  /** Groups left because the client stopped reading, to be named once it catches up. */
  #droppedFrom: string[] | undefined;

  constructor(context: ConnectionContext, stream: ClientStream, peer: string) {
    this.#context = context;
    this.peer = peer;
    this.realm = context.services.realm;
    this.#decoder = new LineDecoder({ maxFrameBytes: context.limits.maxFrameBytes });
    this.#deadlines = new ConnectionDeadlines(context.limits);
    this.#transport = new ClientTransport(context, stream, peer, this);
  }

  receive(chunk: Buffer): void {
    if (!this.#transport.closed) this.#decoder.push(chunk, this);
  }

  get session(): Session | undefined {
    return this.#session;
  }

  get user(): string | undefined {
    return this.#session?.username;
  }

  get username(): string {
    return this.#session?.username ?? "";
  }

  bind(session: Session): void {
    if (this.#session !== undefined) this.unbind();
    this.#session = session;
    this.#deadlines.authenticated();
    this.#context.presence.add(this);
  }

  unbind(): void {
    if (this.#session === undefined) return;
    // The session ends here (logout, another login, the connection closing): its groups see it quit.
    for (const group of [...this.joined.values()]) {
      this.removeJoined(group);
      this.#context.services.groups.leave(this, group, "quit");
    }
    this.#context.presence.remove(this);
    this.#session = undefined;
  }

  addJoined(group: GroupRef): void {
    this.joined.set(formatGroupRef(group), group);
  }

  removeJoined(group: GroupRef): void {
    this.joined.delete(formatGroupRef(group));
  }

  onLine(line: string): void {
    if (line.trim().length > 0) this.#transport.enqueue(line);
  }

  onFrameError(error: FrameError): void {
    this.#send({ re: null, ok: false, code: error.code, message: error.message });
    if (error.code === "FRAME_TOO_LARGE") this.#transport.close();
  }

  /** Served without a promise when the request can be (see dispatchLive); a promise only while it must wait. */
  serve(line: string): Promise<void> | undefined {
    const decoded = decodeLiveRequest(line);
    if (!decoded.ok) {
      this.#send({ re: decoded.id, ok: false, code: decoded.code, message: decoded.message });
      return undefined;
    }
    const re = decoded.request.id;
    let dispatched: Dispatched | Promise<Dispatched>;
    try {
      dispatched = dispatchLive(this.#context, this, decoded.request);
    } catch (err) {
      this.#failed(re, err);
      return undefined;
    }
    if (dispatched instanceof Promise) {
      return dispatched.then(
        (d) => this.#answer(re, d),
        (err: unknown) => this.#failed(re, err),
      );
    }
    return this.#answer(re, dispatched);
  }

  /**
   * A reply now is written now; one that comes later is written when it comes (`replied`,
   * `refused`) and the connection serves its next request meanwhile, unless MAX_UNANSWERED are
   * outstanding: then it waits for one (back-pressure).
   */
  #answer(re: RequestId, dispatched: Dispatched): Promise<void> | undefined {
    if (!(dispatched instanceof LaterReply)) {
      this.#send(dispatched);
      return undefined;
    }
    this.#unanswered++;
    dispatched.listen(this, re);
    if (this.#unanswered < MAX_UNANSWERED) return undefined;
    return new Promise<void>((resolve) => (this.#slotFree = resolve));
  }

  replied(re: RequestId, result: LiveResult<LiveOp>): void {
    this.#send({ re, ok: true, ...result });
    this.#answered();
  }

  refused(re: RequestId, error: unknown): void {
    try {
      this.#send(refusalReply(re, error, this.#context.meter));
    } catch (err) {
      this.#failed(re, err);
    }
    this.#answered();
  }

  #answered(): void {
    this.#unanswered--;
    const wake = this.#slotFree;
    this.#slotFree = undefined;
    wake?.();
  }

  #failed(re: RequestId | null, err: unknown): void {
    this.#context.logger.error("live request failed", { peer: this.peer, error: describeError(err) });
    this.#send({ re, ok: false, code: "INTERNAL", message: ERROR_CODES.INTERNAL });
  }

  #send(frame: LiveReply): void {
    this.#transport.write(encodeLiveFrame(frame));
  }

  pushEvent(event: LiveEvent): void {
    if (this.#transport.push(encodeLiveFrame(event)) && event.ev === "message") this.deliveries.handed(event.msgId, false);
  }

  pushMessage(message: StoredMessage, held: boolean): void {
    const { id: msgId, from, fromName, text, sentAt: ts } = message;
    const event: LiveEvent = { ev: "message", msgId, from, fromName, text, ts };
    if (this.#transport.push(encodeLiveFrame(event))) this.deliveries.handed(message.id, held);
  }

  onPushesRefused(): void {
    for (const group of [...this.joined.values()]) {
      this.removeJoined(group);
      this.#context.services.groups.leave(this, group);
      (this.#droppedFrom ??= []).push(labelFor(group.name, group.home, this.realm));
    }
  }

  onPushesResumed(): void {
    const dropped = this.#droppedFrom ?? [];
    const left = dropped.length === 0 ? "" : ` and left ${dropped.map((g) => `#${g}`).join(", ")} (join again)`;
    this.#droppedFrom = undefined;
    this.#transport.write(
      encodeLiveFrame({
        ev: "notice",
        text: `you were not reading fast enough: events were not sent${left}; private messages are in your inbox`,
      }),
    );
  }

  deliverGroupEvent(event: RenderedGroupEvent): void {
    this.#transport.push(event.liveFrame);
  }

  deliverGroupNotice(group: string, text: string): void {
    this.pushEvent({ ev: "notice", text: `${group}: ${text}` });
  }

  moveGroup(from: GroupRef, to: GroupRef, text: string): void {
    this.removeJoined(from);
    this.addJoined(to);
    this.pushEvent({ ev: "moved", group: to.name, from: from.home, home: to.home, text });
  }

  notify(text: string): boolean {
    this.pushEvent({ ev: "notice", text });
    return true;
  }

  removeFromGroup(name: string, text: string): boolean {
    const group = [...this.joined.values()].find((g) => g.name === name && g.home === this.realm);
    if (group === undefined) return false;
    this.removeJoined(group);
    this.#context.services.groups.leave(this, group);
    this.pushEvent({ ev: "notice", text: `${name}: ${text}` });
    return true;
  }

  close(lastWords?: string): void {
    this.#transport.close(lastWords);
  }

  checkDeadlines(now: number): void {
    const overdue = this.#deadlines.check(now, this.#decoder, this.#transport.readingPaused);
    if (overdue === undefined) return;
    this.#context.logger.info("closing a client connection", { peer: this.peer, reason: overdue });
    this.close(encodeLiveFrame({ re: null, ok: false, code: "TIMEOUT", message: `${ERROR_CODES.TIMEOUT}: ${OVERDUE_MESSAGES[overdue]}` }));
  }

  onTransportClosed(): void {
    this.#context.logger.info("client disconnected", { peer: this.peer, user: this.user });
    this.unbind();
    this.#context.registry.forget(this);
  }
}
