import type { Duplex } from "node:stream";
import {
  decodeClassicRequest,
  encodeClassicReply,
  ERROR_CODES,
  errorReply,
  GROUP_EXIT_COMMAND,
  GROUP_EXIT_MARKER,
  LineDecoder,
  type FrameError,
  type GroupRef,
  type LineSink,
} from "@realmchat/protocol";
import type { LocalGroupMember } from "../../groups/group-bus.ts";
import type { RenderedGroupEvent } from "../../groups/group-event.ts";
import { describeError } from "@realmchat/node-runtime";
import { RequestError } from "../../request-error.ts";
import { ClientTransport, type TransportOwner } from "../client-transport.ts";
import { ConnectionDeadlines, OVERDUE_MESSAGES } from "../connection-deadlines.ts";
import type { ConnectionContext } from "../connection-context.ts";
import type { ClassicClient } from "./classic-command.ts";
import { dispatchClassic } from "./classic-dispatch.ts";

/** In group mode, `dropped` says the connection was taken out of the fan-out for not reading. */
type Mode = { readonly kind: "command" } | { readonly kind: "group"; group: GroupRef; dropped: boolean };

const COMMAND_MODE: Mode = { kind: "command" };
type QueueItem = string | FrameError;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Does this command-mode line ask for group mode? Checked cheaply on receipt (see onLine). */
function isGroupRequest(line: string): boolean {
  const start = line.length - line.trimStart().length;
  const c = line.charCodeAt(start) | 0x20;
  return c === 0x67 && line.slice(start, start + 6).toLowerCase() === "group ";
}

/**
 * One client on the classic protocol. Requests are handled strictly one after another, so
 * pipelined requests are answered in order; output is buffered and written once per turn.
 */
export class ClassicConnection implements LineSink, LocalGroupMember, ClassicClient, TransportOwner<QueueItem> {
  readonly #context: ConnectionContext;
  readonly peer: string;
  readonly openedAt = Date.now();
  readonly #transport: ClientTransport<QueueItem>;
  readonly #decoder: LineDecoder;
  readonly #deadlines: ConnectionDeadlines;
  #mode: Mode = COMMAND_MODE;
  /** A `group` request is queued: from here on, unterminated text counts as a line (seed quirk). */
  #groupExpected = false;
  username = "";

  get user(): string | undefined {
    return this.username === "" ? undefined : this.username;
  }

  constructor(context: ConnectionContext, stream: Duplex, peer: string) {
    this.#context = context;
    this.peer = peer;
    this.#decoder = new LineDecoder({ maxFrameBytes: context.limits.maxFrameBytes });
    this.#deadlines = new ConnectionDeadlines(context.limits);
    this.#transport = new ClientTransport(context, stream, peer, this);
  }

  get closed(): boolean {
    return this.#transport.closed;
  }

  receive(chunk: Buffer): void {
    if (this.#transport.closed) return;
    this.#decoder.push(chunk, this);
    // The seed's client sends group chat with no terminator, one write per line.
    if (this.#mode.kind === "group" || this.#groupExpected) this.#decoder.flushPartial(this);
  }

  onTransportClosed(): void {
    this.#context.logger.info("client disconnected", { peer: this.peer, user: this.user });
    if (this.#mode.kind === "group" && !this.#mode.dropped) this.#context.services.groups.leave(this, this.#mode.group, "quit");
    this.#mode = COMMAND_MODE;
    this.#context.registry.forget(this);
  }

  onLine(line: string): void {
    if (this.#mode.kind === "command" && !this.#groupExpected && isGroupRequest(line)) this.#groupExpected = true;
    this.#transport.enqueue(line);
  }

  onFrameError(error: FrameError): void {
    if (error.code === "FRAME_TOO_LARGE") {
      // Abuse, not a typo: answer once and close; nothing after it on this connection counts.
      this.#context.logger.warn("client sent an oversized frame; closing", { peer: this.peer, limit: this.#context.limits.maxFrameBytes });
      this.close(encodeClassicReply(errorReply(error.code, error.message)));
      return;
    }
    this.#transport.enqueue(error);
  }

  async serve(item: QueueItem): Promise<void> {
    try {
      if (this.#mode.kind === "group") await this.#groupInput(this.#mode, item);
      else await this.#command(item);
    } catch (err) {
      this.#context.logger.error("request failed", { peer: this.peer, error: describeError(err) });
      if (this.#mode.kind === "command") this.write(encodeClassicReply(errorReply("INTERNAL")));
    }
  }

  async #command(item: QueueItem): Promise<void> {
    if (typeof item !== "string") {
      this.write(encodeClassicReply(errorReply(item.code, item.message)));
      return;
    }
    const decoded = decodeClassicRequest(item);
    if (decoded === undefined) return;
    if (!decoded.ok) {
      this.write(encodeClassicReply(errorReply(decoded.error.code, decoded.error.message)));
      return;
    }
    const answer = await dispatchClassic(this.#context.services, this, decoded.request, this.#context.meter);
    if (decoded.request.kind === "group" && this.#mode.kind === "command") this.#groupExpected = false;
    if (answer === undefined || answer.reply.kind !== "error") this.#deadlines.authenticated();
    if (answer === undefined) return;
    if (answer.afterWritten === undefined) this.write(encodeClassicReply(answer.reply));
    // Whatever the reply hands over (an inbox page) leaves the store only once the reply has left.
    else if (await this.#transport.writeThen(encodeClassicReply(answer.reply))) await answer.afterWritten();
  }

  /** Switches to group mode: from now on, lines are messages to `group` (docs/protocol.md). */
  enterGroup(group: GroupRef, username: string): void {
    this.#mode = { kind: "group", group, dropped: false };
    this.username = username;
    // Classic group mode has no reply to wait for: the roster of a remote group is not awaited.
    this.#context.services.groups.join(this, group).catch((err: unknown) => {
      if (err instanceof RequestError) this.#transport.push(`* ${err.message}\n`);
      else this.#context.logger.error("joining a group failed", { peer: this.peer, error: describeError(err) });
    });
  }

  async #groupInput(mode: Extract<Mode, { kind: "group" }>, item: QueueItem): Promise<void> {
    if (typeof item !== "string") {
      this.write(`! message dropped: ${item.message}\n`);
      return;
    }
    const trimmed = item.trim();
    if (trimmed.length === 0) return;
    const groups = this.#context.services.groups;
    if (trimmed !== GROUP_EXIT_COMMAND) {
      if (mode.dropped) this.write(`* not delivered: you are no longer in ${mode.group.name}; type exit, then join again\n`);
      // No reply per line in group mode: the next line is served once this one is on its way, as
      // on the live protocol, not after its commit to the history (the bus logs a failed one).
      else await groups.publish(this, mode.group, item);
      return;
    }
    if (!mode.dropped) groups.leave(this, mode.group);
    try {
      await groups.forget(mode.group, this.username);
    } catch (err) {
      // The seed's client expects `exit` now whatever happens: it is told in its own group mode.
      this.#context.logger.error("ending a group membership failed", {
        peer: this.peer,
        group: mode.group.name,
        error: describeError(err),
      });
      this.write(`* you left the chat, but ${mode.group.name} still lists you as a member: an error on the server\n`);
    }
    this.#mode = COMMAND_MODE;
    this.#groupExpected = false;
    // The seed's client stops its group reader only on a read that is exactly `exit`, so the
    // marker must travel alone: earlier lines first, then `exit`, then the JSON reply.
    this.flush();
    const pause = this.#context.limits.groupExitPauseMs;
    await delay(pause);
    this.#transport.writeAlone(GROUP_EXIT_MARKER);
    await delay(pause);
    this.write(encodeClassicReply({ kind: "group-left", group: mode.group.name }));
  }

  checkDeadlines(now: number): void {
    const overdue = this.#deadlines.check(now, this.#decoder, this.#transport.readingPaused);
    if (overdue === undefined) return;
    this.#context.logger.info("closing a client connection", { peer: this.peer, reason: overdue });
    this.close(encodeClassicReply(errorReply("TIMEOUT", `${ERROR_CODES.TIMEOUT}: ${OVERDUE_MESSAGES[overdue]}`)));
  }

  deliverGroupEvent(event: RenderedGroupEvent): void {
    this.#transport.push(event.classicLine);
  }

  deliverGroupNotice(_group: string, text: string): void {
    this.#transport.push(`* ${text}\n`);
  }

  moveGroup(from: GroupRef, to: GroupRef, text: string): void {
    const mode = this.#mode;
    if (mode.kind !== "group" || mode.group.name !== from.name || mode.group.home !== from.home) return;
    mode.group = to;
    this.#transport.push(`* ${text}\n`);
  }

  onPushesRefused(): void {
    const mode = this.#mode;
    if (mode.kind !== "group" || mode.dropped) return;
    mode.dropped = true;
    this.#context.services.groups.leave(this, mode.group);
  }

  onPushesResumed(): void {
    const mode = this.#mode;
    if (mode.kind === "group" && mode.dropped)
      this.write(`* you were not reading fast enough and left ${mode.group.name}; type exit, then join again\n`);
  }

  write(text: string): void {
    this.#transport.write(text);
  }

  /** Writes pending output now rather than at the end of the turn. */
  flush(): void {
    this.#transport.flush();
  }

  /** Ends the connection after `lastWords`; a peer that does not close in time is cut off. */
  notify(text: string): boolean {
    // Outside group mode the classic protocol only answers requests: nothing can be shown.
    if (this.#mode.kind !== "group") return false;
    this.#transport.push(`* ${text}\n`);
    return true;
  }

  removeFromGroup(name: string, text: string): boolean {
    const mode = this.#mode;
    if (mode.kind !== "group" || mode.dropped || mode.group.name !== name || mode.group.home !== this.#context.services.realm) return false;
    this.#context.services.groups.leave(this, mode.group);
    // As for a member dropped for not reading: its lines are refused until it types exit.
    mode.dropped = true;
    this.#transport.push(`* ${text}; type exit\n`);
    return true;
  }

  close(lastWords?: string): void {
    this.#transport.close(lastWords);
  }
}
