import { encodeAsciiJson, type JsonValue } from "../ascii-json.ts";
import { ERROR_CODES, isErrorCode, type ErrorCode } from "../error-codes.ts";
import { MalformedReplyError } from "../errors.ts";

/** One stored private message as the classic `inbox` reply shows it. */
export interface InboxEntry {
  /** Unique message id (origin realm + uuid in federation; a uuid locally). */
  readonly id: string;
  /** Sender as an inbox key: the bare username if local, `user@realm` if remote. */
  readonly from: string;
  readonly fromName: string;
  readonly toName: string;
  readonly text: string;
  /** Milliseconds since the epoch when the sender's realm accepted the message. */
  readonly sentAt: number;
}

/** A reply to a classic request (docs/protocol.md, "Classic replies"). */
export type ClassicReply =
  | { readonly kind: "auth-ok"; readonly token: string }
  | { readonly kind: "sent"; readonly id: string; readonly queued: boolean }
  /** `more`: the inbox holds more than this page; asking again returns the next one. */
  | { readonly kind: "inbox"; readonly messages: readonly InboxEntry[]; readonly more?: boolean }
  | { readonly kind: "logged-out" }
  | { readonly kind: "group-left"; readonly group: string }
  | { readonly kind: "error"; readonly code: ErrorCode; readonly message: string };

export const REPLY_TERMINATOR = "\r\n\r\n";

export function errorReply(code: ErrorCode, message: string = ERROR_CODES[code]): ClassicReply {
  return { kind: "error", code, message };
}

function inboxObject(messages: readonly InboxEntry[]): JsonValue {
  // Grouped by sender in order of each sender's first message; within a sender, by arrival.
  const bySender: Record<string, JsonValue[]> = {};
  for (const m of messages) {
    const list = bySender[m.from] ?? (bySender[m.from] = []);
    list.push({
      msg_from: m.fromName,
      msg_to: m.toName,
      msg: m.text,
      id: m.id,
      from: m.from,
      ts: new Date(m.sentAt).toISOString(),
    });
  }
  return bySender;
}

function replyObject(reply: ClassicReply): JsonValue {
  switch (reply.kind) {
    case "auth-ok":
      return { status: "OK", tokenid: reply.token };
    case "sent":
      return { status: "OK", message: reply.queued ? "Message Queued" : "Message Sent", id: reply.id, queued: reply.queued };
    case "inbox":
      // `more` only when true, so a reply that fits the page is byte for byte the seed's.
      return reply.more === true
        ? { status: "OK", messages: inboxObject(reply.messages), more: true }
        : { status: "OK", messages: inboxObject(reply.messages) };
    case "logged-out":
      return { status: "OK", message: "Logged out" };
    case "group-left":
      return { status: "OK", message: `Left group ${reply.group}` };
    case "error":
      return { status: "ERROR", message: reply.message, code: reply.code };
  }
}

/** Encodes a reply as the seed's server did: ASCII-only JSON, then `\r\n\r\n`. */
export function encodeClassicReply(reply: ClassicReply): string {
  return encodeAsciiJson(replyObject(reply)) + REPLY_TERMINATOR;
}

/** What a client can rely on in any classic reply; the rest is per request. */
export type ParsedReply =
  | { readonly status: "OK"; readonly body: Readonly<Record<string, unknown>> }
  | { readonly status: "ERROR"; readonly code: ErrorCode | undefined; readonly message: string };

/** Parses one reply body (without the terminator) on the client side. */
export function decodeClassicReply(text: string): ParsedReply {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new MalformedReplyError(text, { cause });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new MalformedReplyError(text);
  const body = value as Record<string, unknown>;
  if (body.status === "OK") return { status: "OK", body };
  if (body.status === "ERROR") {
    const code = typeof body.code === "string" && isErrorCode(body.code) ? body.code : undefined;
    const message = typeof body.message === "string" ? body.message : "unknown error";
    return { status: "ERROR", code, message };
  }
  throw new MalformedReplyError(text);
}

/** Whether an OK inbox reply says more messages are waiting (docs/protocol.md, "inbox"). */
export function inboxHasMore(body: Readonly<Record<string, unknown>>): boolean {
  return body.more === true;
}

/** Reads the `messages` object of an OK inbox reply back into entries, in reply order. */
export function inboxEntriesOf(body: Readonly<Record<string, unknown>>): InboxEntry[] {
  const messages = body.messages;
  if (typeof messages !== "object" || messages === null) throw new MalformedReplyError(JSON.stringify(body));
  const out: InboxEntry[] = [];
  for (const [sender, list] of Object.entries(messages as Record<string, unknown>)) {
    if (!Array.isArray(list)) throw new MalformedReplyError(JSON.stringify(body));
    for (const item of list as Record<string, unknown>[]) {
      out.push({
        id: typeof item.id === "string" ? item.id : "",
        from: typeof item.from === "string" ? item.from : sender,
        fromName: String(item.msg_from ?? sender),
        toName: String(item.msg_to ?? ""),
        text: String(item.msg ?? ""),
        sentAt: typeof item.ts === "string" ? Date.parse(item.ts) : 0,
      });
    }
  }
  return out;
}
