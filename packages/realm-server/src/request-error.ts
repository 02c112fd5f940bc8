import { ERROR_CODES, type ErrorCode } from "@realmchat/protocol";

/**
 * A request that cannot be served, for any client protocol: the code comes from the one error
 * table in `protocol`, the message is for people, `fields` name what was wrong. The classic
 * protocol renders it as an error reply, the live protocol as `{"ok": false, …}`.
 */
export class RequestError extends Error {
  override readonly name = "RequestError";
  readonly code: ErrorCode;
  readonly fields: Readonly<Record<string, string>>;
  constructor(
    code: ErrorCode,
    message: string = ERROR_CODES[code],
    options?: { readonly cause?: unknown; readonly fields?: Readonly<Record<string, string>> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fields = options?.fields ?? {};
  }
}
