import { MalformedFrameError } from "../errors.ts";
import { isValidName } from "../names.ts";
import { GROUP_EVENT_KINDS, MAX_BATCH_ITEMS, type FederationFrame, type FederationFrameType } from "./frames.ts";

/** How each field of a frame is checked; one table, read by one validator. */
type FieldKind =
  | "name"
  | "?name"
  | "string"
  | "text"
  | "number"
  | "boolean"
  | "?boolean"
  | "users"
  | "groups"
  | "?string"
  | "?text"
  | "?number"
  | "items"
  | "results"
  | "members"
  | "events";

const MAX_TEXT = 64 * 1024;

const FIELDS = {
  hello: { v: "number", realm: "name", nonce: "string" },
  challenge: { realm: "name", nonce: "string" },
  prove: { proof: "string" },
  welcome: { proof: "string" },
  refused: { reason: "text" },
  ping: { ts: "number" },
  pong: { ts: "number" },
  directory: { realm: "name", users: "users", groups: "groups" },
  peer: { realm: "name", up: "boolean" },
  dm: { id: "string", origin: "name", to: "name", from: "name", fromName: "text", user: "name", text: "text", sentAt: "number" },
  ack: { id: "string", origin: "name", status: "string", code: "?string", message: "?text" },
  batch: { origin: "name", to: "name", items: "items" },
  acks: { origin: "name", results: "results" },
  undelivered: { id: "string", origin: "name", to: "name", from: "name", user: "name", text: "text", sentAt: "number", reason: "text" },
  gjoin: { id: "string", origin: "name", to: "name", group: "name", user: "name" },
  gleave: { id: "string", origin: "name", to: "name", group: "name", user: "name", forget: "?boolean", quit: "?boolean" },
  gsay: { id: "string", origin: "name", to: "name", group: "name", user: "name", text: "text" },
  gevent: {
    id: "string",
    origin: "name",
    to: "name",
    group: "name",
    kind: "string",
    user: "name",
    realm: "name",
    text: "?text",
    eid: "?string",
    ts: "?number",
  },
  groster: {
    id: "string",
    origin: "name",
    to: "name",
    group: "name",
    members: "members",
    online: "members",
    history: "events",
    before: "?string",
    more: "?boolean",
  },
  gwho: { id: "string", origin: "name", to: "name", group: "name", user: "name", before: "?string", limit: "?number" },
  gfind: { id: "string", origin: "name", to: "name", group: "name" },
  gwhere: { id: "string", origin: "name", to: "name", group: "name", home: "?name", user: "?name", text: "?text" },
  gmerge: { id: "string", origin: "name", to: "name", group: "name", created: "number", members: "members", history: "events" },
  gmerged: { id: "string", origin: "name", to: "name", group: "name" },
} as const satisfies Record<FederationFrameType, Record<string, FieldKind>>;

const ENUMS: Partial<Record<FederationFrameType, Record<string, readonly string[]>>> = {
  ack: { status: ["stored", "queued", "rejected"] },
  gevent: { kind: GROUP_EVENT_KINDS },
};

const ITEM_FIELDS = { id: "string", from: "name", fromName: "text", user: "name", text: "text", sentAt: "number" } as const;
const RESULT_STATUSES: readonly unknown[] = ["stored", "rejected"];

function objectOk(value: unknown, fields: Readonly<Record<string, FieldKind>>): boolean {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  for (const field in fields) if (!fieldOk(fields[field] as FieldKind, record[field])) return false;
  return true;
}

function listOk(value: unknown, item: (v: unknown) => boolean, allowEmpty = false): boolean {
  return Array.isArray(value) && (allowEmpty || value.length > 0) && value.length <= MAX_BATCH_ITEMS && value.every(item);
}

const EVENT_KINDS: readonly unknown[] = GROUP_EVENT_KINDS;

function fieldOk(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case "name":
      return typeof value === "string" && isValidName(value);
    case "?name":
      return value === undefined || (typeof value === "string" && isValidName(value));
    case "string":
      return typeof value === "string" && value.length > 0 && value.length <= 256;
    case "text":
      return typeof value === "string" && value.length <= MAX_TEXT;
    case "?string":
      return value === undefined || (typeof value === "string" && value.length <= 256);
    case "?text":
      return value === undefined || (typeof value === "string" && value.length <= MAX_TEXT);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "?number":
      return value === undefined || (typeof value === "number" && Number.isFinite(value));
    case "boolean":
      return typeof value === "boolean";
    case "?boolean":
      return value === undefined || typeof value === "boolean";
    case "groups":
      return Array.isArray(value) && value.every((v) => objectOk(v, { name: "name", created: "number" }));
    case "items":
      return listOk(value, (v) => objectOk(v, ITEM_FIELDS));
    case "results":
      return listOk(
        value,
        (v) =>
          objectOk(v, { id: "string", code: "?string", message: "?text" }) && RESULT_STATUSES.includes((v as { status: unknown }).status),
      );
    case "members":
      return listOk(value, (v) => objectOk(v, { user: "name", realm: "name" }), true);
    case "events":
      return listOk(
        value,
        (v) =>
          objectOk(v, { user: "name", realm: "name", text: "?text", ts: "number", eid: "?string" }) &&
          EVENT_KINDS.includes((v as { kind: unknown }).kind),
        true,
      );
    case "users":
      return (
        Array.isArray(value) &&
        value.every(
          (u) =>
            typeof u === "object" &&
            u !== null &&
            isValidName((u as { user: unknown }).user as string) &&
            typeof (u as { name: unknown }).name === "string" &&
            (u as { name: string }).name.length <= 256,
        )
      );
  }
}

function pick(value: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (value[f] !== undefined) out[f] = value[f];
  return out;
}

export type DecodedFrame =
  { readonly ok: true; readonly frame: FederationFrame } | { readonly ok: false; readonly error: MalformedFrameError };

/** Validates one federation line at the boundary; past it, code trusts the frame's types. */
export function decodeFederationFrame(line: string): DecodedFrame {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    return { ok: false, error: new MalformedFrameError("not JSON", undefined, { cause }) };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: new MalformedFrameError("not a JSON object", undefined) };
  }
  const raw = value as Record<string, unknown>;
  const t = raw.t;
  if (typeof t !== "string" || !Object.hasOwn(FIELDS, t)) {
    return { ok: false, error: new MalformedFrameError(`unknown frame type ${JSON.stringify(t)}`, undefined) };
  }
  const type = t as FederationFrameType;
  const spec: Record<string, FieldKind> = FIELDS[type];
  for (const field in spec) {
    if (!fieldOk(spec[field] as FieldKind, raw[field])) {
      return { ok: false, error: new MalformedFrameError(`bad or missing field '${field}'`, type) };
    }
  }
  const enums = ENUMS[type];
  if (enums !== undefined) {
    for (const field in enums) {
      if (!(enums[field] as readonly string[]).includes(raw[field] as string)) {
        return { ok: false, error: new MalformedFrameError(`bad value of '${field}'`, type) };
      }
    }
  }
  // Keep only the declared fields: nothing unchecked travels further.
  const frame: Record<string, unknown> = { t: type };
  for (const field in spec) {
    const value = raw[field];
    if (value === undefined) continue;
    if (spec[field] === "items")
      frame[field] = (value as Record<string, unknown>[]).map((v) => pick(v, ["id", "from", "fromName", "user", "text", "sentAt"]));
    else if (spec[field] === "results")
      frame[field] = (value as Record<string, unknown>[]).map((v) => pick(v, ["id", "status", "code", "message"]));
    else if (spec[field] === "groups") frame[field] = (value as Record<string, unknown>[]).map((v) => pick(v, ["name", "created"]));
    else if (spec[field] === "members") frame[field] = (value as Record<string, unknown>[]).map((v) => pick(v, ["user", "realm"]));
    else if (spec[field] === "events")
      frame[field] = (value as Record<string, unknown>[]).map((v) => pick(v, ["kind", "user", "realm", "text", "ts", "eid"]));
    else frame[field] = value;
  }
  return { ok: true, frame: frame as FederationFrame };
}
