import { isErrorCode, type FrameOf } from "@realmchat/protocol";
import { RequestError } from "../request-error.ts";

/** Told what became of a private message handed on: stored (here, or by the other realm), or queued; or refused. */
export interface SendReceipt {
  sent(id: string, queued: boolean): void;
  failed(error: unknown): void;
}

/** A sender waiting to hear what became of its message. */
export interface WaitingSender {
  readonly id: string;
  /** The recipient's realm. */
  readonly to: string;
  readonly at: number;
  readonly receipt: SendReceipt;
}

/** Tells a waiting sender the other realm's answer (docs/protocol.md, `ack`). */
export function tellAnswer(waiting: WaitingSender, frame: FrameOf<"ack">): void {
  if (frame.status === "rejected") {
    const code = frame.code !== undefined && isErrorCode(frame.code) ? frame.code : "USER_NOT_FOUND";
    waiting.receipt.failed(new RequestError(code, frame.message ?? "rejected by the other realm", { fields: { realm: waiting.to } }));
  } else {
    waiting.receipt.sent(waiting.id, frame.status === "queued");
  }
}
