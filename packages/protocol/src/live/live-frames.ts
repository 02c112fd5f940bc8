/**
 * The live protocol ("v2", docs/protocol.md "Live protocol"): one JSON object per `\n`-terminated
 * line, on the same port as the classic protocol; a connection whose first byte is `{` speaks it.
 * Requests carry a client-chosen `id`; replies echo it as `re`; events (`ev`) come unasked.
 */
import type { GroupEventKind } from "../federation/frames.ts";

export const LIVE_VERSION = 2;

export type RequestId = string | number;

export type LiveRequest =
  | { readonly op: "hello"; readonly id: RequestId; readonly v: number }
  | { readonly op: "auth"; readonly id: RequestId; readonly user: string; readonly password: string }
  | { readonly op: "resume"; readonly id: RequestId; readonly token: string }
  | { readonly op: "logout"; readonly id: RequestId }
  | { readonly op: "send"; readonly id: RequestId; readonly to: string; readonly text: string; readonly cid?: string }
  | { readonly op: "inbox"; readonly id: RequestId; readonly limit: number | undefined }
  | { readonly op: "ack"; readonly id: RequestId; readonly upTo: string }
  | { readonly op: "join"; readonly id: RequestId; readonly group: string }
  | { readonly op: "leave"; readonly id: RequestId; readonly group: string }
  | { readonly op: "say"; readonly id: RequestId; readonly group: string; readonly text: string; readonly cid?: string }
  | { readonly op: "groups"; readonly id: RequestId }
  | { readonly op: "who"; readonly id: RequestId; readonly group: string }
  | { readonly op: "history"; readonly id: RequestId; readonly group: string; readonly before: string; readonly limit?: number }
  | { readonly op: "read"; readonly id: RequestId; readonly conversation: string; readonly ts: number }
  | { readonly op: "markers"; readonly id: RequestId };

export type LiveOp = LiveRequest["op"];

/** A private message as the live protocol shows it. */
export interface LiveMessage {
  readonly msgId: string;
  /** `user` if local to the reader's realm, `user@realm` otherwise. */
  readonly from: string;
  readonly fromName: string;
  readonly text: string;
  readonly ts: number;
}

export type LiveEvent =
  | ({ readonly ev: "message" } & LiveMessage)
  | {
      readonly ev: "group";
      readonly group: string;
      /** The realm the group lives on. */
      readonly home: string;
      readonly kind: GroupEventKind;
      /** `user` if on the reader's realm, `user@realm` otherwise. */
      readonly member: string;
      readonly text?: string;
      readonly ts: number;
      /** The event's id on the group's home: older history is paged before it (`history`). */
      readonly eventId?: string;
    }
  | {
      /** Two groups of one name met and became one (docs/protocol.md, "One group per name"): the reader is now in it. */
      readonly ev: "moved";
      readonly group: string;
      /** The realm the reader's group lived on. */
      readonly from: string;
      /** The realm the one group lives on. */
      readonly home: string;
      readonly text: string;
    }
  | { readonly ev: "delivered"; readonly msgId: string; readonly to: string }
  /** The user read a conversation up to `ts` (on this connection or another): its lines up to then are read. */
  | ({ readonly ev: "read" } & LiveReadMarker)
  | { readonly ev: "notice"; readonly text: string };

/** One event of a group's recent history, as a join shows it. */
export interface LiveHistoryEntry {
  readonly kind: GroupEventKind;
  readonly member: string;
  readonly text?: string;
  readonly ts: number;
  readonly eventId?: string;
}

/**
 * Where a user has read a conversation up to: every line of it at or before `ts` is read.
 * `conversation` is `#group` (`#group@realm` for another realm's) or `@user` (`@user@realm`),
 * named as the user's realm names them.
 */
export interface LiveReadMarker {
  readonly conversation: string;
  readonly ts: number;
}

export interface LiveGroupInfo {
  readonly name: string;
  readonly home: string;
  readonly joined: boolean;
}

/** What each op answers with, besides `re` and `ok` (docs/protocol.md, "Live protocol"). */
export interface LiveResults {
  readonly hello: { readonly server: string; readonly v: number; readonly realm: string };
  readonly auth: { readonly token: string; readonly user: string; readonly realm: string };
  readonly resume: { readonly user: string; readonly realm: string };
  readonly logout: Readonly<Record<never, never>>;
  readonly send: { readonly msgId: string; readonly queued: boolean };
  readonly inbox: { readonly messages: readonly LiveMessage[] };
  readonly ack: { readonly removed: number };
  readonly join: {
    readonly group: string;
    readonly home: string;
    readonly history: readonly LiveHistoryEntry[];
    readonly members: readonly string[];
  };
  readonly leave: { readonly group: string };
  readonly say: Readonly<Record<never, never>>;
  readonly groups: { readonly groups: readonly LiveGroupInfo[] };
  readonly who: { readonly group: string; readonly home?: string; readonly members: readonly string[]; readonly online: readonly string[] };
  /** Older events, oldest first; `more`: there are older ones still. */
  readonly history: {
    readonly group: string;
    readonly home: string;
    readonly history: readonly LiveHistoryEntry[];
    readonly more: boolean;
  };
  /** The conversation's marker now (a marker never moves back). */
  readonly read: LiveReadMarker;
  readonly markers: { readonly markers: readonly LiveReadMarker[] };
}

export type LiveResult<K extends LiveOp> = LiveResults[K];

/** The fields a client fills in for an op (the `op` and `id` are the client library's). */
export type LiveRequestFields<K extends LiveOp> = Omit<Extract<LiveRequest, { readonly op: K }>, "op" | "id">;

export type LiveOkReply = { readonly re: RequestId; readonly ok: true } & LiveResults[LiveOp];

export interface LiveErrorReply {
  readonly re: RequestId | null;
  readonly ok: false;
  readonly code: string;
  readonly message: string;
}

export type LiveReply = LiveOkReply | LiveErrorReply;

export function encodeLiveFrame(frame: LiveReply | LiveEvent): string {
  return JSON.stringify(frame) + "\n";
}
