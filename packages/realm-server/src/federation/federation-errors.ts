import type { ErrorCode } from "@realmchat/protocol";

/** The peer realm answered a relayed private message with a rejection. */
export class RemoteRejectedError extends Error {
  override readonly name = "RemoteRejectedError";
  readonly code: ErrorCode;
  readonly realm: string;
  constructor(realm: string, code: ErrorCode, message: string) {
    super(message);
    this.realm = realm;
    this.code = code;
  }
}
