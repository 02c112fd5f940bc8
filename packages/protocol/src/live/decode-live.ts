import { ERROR_CODES, type ErrorCode } from "../error-codes.ts";
import { isValidName, parseAddress } from "../names.ts";
import type { LiveOp, LiveRequest, RequestId } from "./live-frames.ts";

export type DecodedLiveRequest =
  | { readonly ok: true; readonly request: LiveRequest }
  | { readonly ok: false; readonly id: RequestId | null; readonly code: ErrorCode; readonly message: string };

type Field = "text" | "word" | "name" | "address" | "count" | "conversation";
type OptionalField = "clientId" | "count";

/** Every op and its fields: one table, one validator. */
const OPS = {
  hello: { v: "count" },
  auth: { user: "name", password: "word" },
  resume: { token: "word" },
  logout: {},
  send: { to: "address", text: "text" },
  inbox: {},
  ack: { upTo: "word" },
  join: { group: "address" },
  leave: { group: "address" },
  say: { group: "address", text: "text" },
  groups: {},
  who: { group: "address" },
  history: { group: "address", before: "word" },
  read: { conversation: "conversation", ts: "count" },
  markers: {},
} as const satisfies Record<LiveOp, Record<string, Field>>;

/** Fields an op may leave out. */
const OPTIONAL: Partial<Record<LiveOp, Record<string, OptionalField>>> = {
  inbox: { limit: "count" },
  history: { limit: "count" },
  send: { cid: "clientId" },
  say: { cid: "clientId" },
};

/** `#group`, `#group@realm`, `@user` or `@user@realm` (LiveReadMarker). */
export function isConversation(value: unknown): value is string {
  return typeof value === "string" && (value.startsWith("#") || value.startsWith("@")) && parseAddress(value.slice(1)) !== undefined;
}

const MAX_TEXT = 16 * 1024;

function fieldOk(kind: Field | OptionalField, value: unknown): boolean {
  switch (kind) {
    case "text":
      return typeof value === "string" && value.trim().length > 0 && value.length <= MAX_TEXT;
    case "word":
      return typeof value === "string" && value.length > 0 && value.length <= 256;
    // The same rule as the classic protocol's (names.ts): a name is never free text.
    case "name":
      return typeof value === "string" && isValidName(value);
    case "address":
      return typeof value === "string" && parseAddress(value) !== undefined;
    case "count":
      return typeof value === "number" && Number.isInteger(value) && value >= 0;
    case "conversation":
      return isConversation(value);
    // A client's own id for a send, so that sending it again after a lost link stores it once.
    case "clientId":
      return typeof value === "string" && value.length > 0 && value.length <= 64;
  }
}

function bad(id: RequestId | null, code: ErrorCode, detail: string): DecodedLiveRequest {
  return { ok: false, id, code, message: `${ERROR_CODES[code]}: ${detail}` };
}

/** Validates one live request line at the boundary; past it, handlers trust the types. */
export function decodeLiveRequest(line: string): DecodedLiveRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return bad(null, "INVALID_ARGUMENT", "not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return bad(null, "INVALID_ARGUMENT", "not a JSON object");
  const raw = value as Record<string, unknown>;
  const id = typeof raw.id === "string" || typeof raw.id === "number" ? raw.id : null;
  if (id === null) return bad(null, "MISSING_ARGUMENT", "every request needs an 'id' (string or number)");
  if (typeof raw.op !== "string" || !Object.hasOwn(OPS, raw.op)) return bad(id, "UNKNOWN_COMMAND", `'${String(raw.op).slice(0, 40)}'`);
  const op = raw.op as LiveOp;
  const spec: Record<string, Field> = OPS[op];
  for (const field in spec) {
    if (raw[field] === undefined) return bad(id, "MISSING_ARGUMENT", `'${field}'`);
    if (!fieldOk(spec[field] as Field, raw[field])) return bad(id, field === "text" ? "EMPTY_MESSAGE" : "INVALID_ARGUMENT", `'${field}'`);
  }
  const request: Record<string, unknown> = { op, id };
  for (const field in spec) request[field] = raw[field];
  const optional = OPTIONAL[op] ?? {};
  for (const field in optional) {
    const value = raw[field];
    if (value !== undefined && !fieldOk(optional[field] as OptionalField, value)) return bad(id, "INVALID_ARGUMENT", `'${field}'`);
    if (value !== undefined || field === "limit") request[field] = value;
  }
  return { ok: true, request: request as LiveRequest };
}
