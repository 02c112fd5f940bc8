import type { ErrorCode } from "@realmchat/protocol";

/** The server answered a request with `status: ERROR`. */
export class ServerErrorReply extends Error {
  override readonly name = "ServerErrorReply";
  readonly code: ErrorCode | undefined;
  readonly request: string;
  constructor(request: string, code: ErrorCode | undefined, message: string) {
    super(message);
    this.code = code;
    this.request = request;
  }
}

/** The connection closed (or failed) while requests were outstanding, or before a request. */
export class ConnectionClosedError extends Error {
  override readonly name = "ConnectionClosedError";
  constructor(message = "connection to the server closed", options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A `host:port` that does not parse. */
export class InvalidServerAddressError extends Error {
  override readonly name = "InvalidServerAddressError";
  readonly input: string;
  constructor(input: string) {
    super(`'${input}' is not host:port`);
    this.input = input;
  }
}

/** A request made in the wrong state (e.g. `send` before `auth`). */
export class ClientStateError extends Error {
  override readonly name = "ClientStateError";
}
