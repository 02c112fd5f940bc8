import { ERROR_CODES, type ErrorCode } from "./error-codes.ts";

/** Base of every error the protocol package reports; `code` is the wire error code. */
export abstract class ProtocolError extends Error {
  abstract readonly code: ErrorCode;
}

/** A frame grew past the decoder's limit before its terminator arrived. */
export class FrameTooLargeError extends ProtocolError {
  override readonly name = "FrameTooLargeError";
  readonly code = "FRAME_TOO_LARGE" as const;
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`${ERROR_CODES.FRAME_TOO_LARGE} (limit ${limitBytes} bytes)`);
    this.limitBytes = limitBytes;
  }
}

/** A complete frame whose bytes are not valid UTF-8. */
export class InvalidUtf8Error extends ProtocolError {
  override readonly name = "InvalidUtf8Error";
  readonly code = "INVALID_UTF8" as const;
  readonly byteLength: number;
  constructor(byteLength: number, options?: { cause?: unknown }) {
    super(ERROR_CODES.INVALID_UTF8, options);
    this.byteLength = byteLength;
  }
}

/** A well-framed request that does not follow the grammar of its protocol. */
export class MalformedRequestError extends ProtocolError {
  override readonly name = "MalformedRequestError";
  readonly code: "UNKNOWN_COMMAND" | "MISSING_ARGUMENT" | "INVALID_ARGUMENT" | "EMPTY_MESSAGE";
  readonly command: string;
  constructor(code: MalformedRequestError["code"], command: string, detail?: string) {
    super(detail === undefined ? ERROR_CODES[code] : `${ERROR_CODES[code]}: ${detail}`);
    this.code = code;
    this.command = command;
  }
}

/** A reply from a server that a client cannot make sense of. */
export class MalformedReplyError extends Error {
  override readonly name = "MalformedReplyError";
  readonly raw: string;
  constructor(raw: string, options?: { cause?: unknown }) {
    super(`malformed reply from server: ${raw.slice(0, 200)}`, options);
    this.raw = raw;
  }
}

export type FrameError = FrameTooLargeError | InvalidUtf8Error;

/** A federation line that is not a valid frame. */
export class MalformedFrameError extends Error {
  override readonly name = "MalformedFrameError";
  readonly frameType: string | undefined;
  constructor(detail: string, frameType: string | undefined, options?: { cause?: unknown }) {
    super(`malformed federation frame${frameType === undefined ? "" : ` '${frameType}'`}: ${detail}`, options);
    this.frameType = frameType;
  }
}

/** The mutual authentication of a federation link failed. */
export class HandshakeError extends Error {
  override readonly name = "HandshakeError";
  readonly peer: string | undefined;
  constructor(message: string, peer: string | undefined) {
    super(peer === undefined ? message : `${peer}: ${message}`);
    this.peer = peer;
  }
}
