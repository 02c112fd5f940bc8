import type { ErrorCode } from "@realmchat/protocol";

/** A live request that cannot be served; becomes `{"re": id, "ok": false, "code", "message"}`. */
export class LiveRequestError extends Error {
  override readonly name = "LiveRequestError";
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
