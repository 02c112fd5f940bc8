/**
 * Every error a realm can put on the wire, with the default human-readable message.
 * Replies carry both: `code` for programs, `message` for people (and for the seed's client,
 * which prints `message`).
 */
export const ERROR_CODES = {
  UNKNOWN_COMMAND: "protocol not valid: unknown command",
  MISSING_ARGUMENT: "protocol not valid: missing argument",
  INVALID_ARGUMENT: "protocol not valid: invalid argument",
  EMPTY_MESSAGE: "message text is empty",
  AUTH_FAILED: "invalid username or password",
  SESSION_NOT_FOUND: "session not found",
  USER_NOT_FOUND: "user not found",
  AMBIGUOUS_USER: "user name is ambiguous",
  AMBIGUOUS_GROUP: "group name is ambiguous",
  REALM_UNREACHABLE: "that realm cannot be reached now",
  INBOX_FULL: "the recipient's inbox is full",
  LOGIN_THROTTLED: "too many failed logins: wait and try again",
  TOO_MANY_CONNECTIONS: "too many connections: try again later",
  TIMEOUT: "the connection waited too long",
  FRAME_TOO_LARGE: "request too large",
  INVALID_UTF8: "request is not valid UTF-8",
  INTERNAL: "internal server error",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}
