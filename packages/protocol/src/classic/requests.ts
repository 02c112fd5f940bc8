import { MalformedRequestError } from "../errors.ts";
import { isValidName, parseAddress, type Address } from "../names.ts";

/** A client request in the classic line protocol (docs/protocol.md, "Classic requests"). */
export type ClassicRequest =
  | { readonly kind: "auth"; readonly user: string; readonly password: string }
  | { readonly kind: "send"; readonly token: string; readonly to: Address; readonly text: string }
  | { readonly kind: "inbox"; readonly token: string }
  | { readonly kind: "group"; readonly token: string; readonly group: string; readonly realm: string | undefined }
  | { readonly kind: "logout"; readonly token: string };

export type ClassicRequestKind = ClassicRequest["kind"];

export type DecodedRequest =
  { readonly ok: true; readonly request: ClassicRequest } | { readonly ok: false; readonly error: MalformedRequestError };

const SPACE = 0x20;
const TAB = 0x09;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** Splits words off the front of a line without regexes or intermediate arrays. */
class WordCursor {
  readonly line: string;
  pos = 0;
  constructor(line: string) {
    this.line = line;
  }
  next(): string | undefined {
    const s = this.line;
    let i = this.pos;
    while (i < s.length && isBlank(s.charCodeAt(i))) i++;
    if (i === s.length) {
      this.pos = i;
      return undefined;
    }
    const start = i;
    while (i < s.length && !isBlank(s.charCodeAt(i))) i++;
    this.pos = i;
    return s.slice(start, i);
  }
  /** Everything left, without surrounding blanks; inner spacing is kept as typed. */
  rest(): string {
    const s = this.line;
    let start = this.pos;
    let end = s.length;
    while (start < end && isBlank(s.charCodeAt(start))) start++;
    while (end > start && isBlank(s.charCodeAt(end - 1))) end--;
    this.pos = s.length;
    return s.slice(start, end);
  }
}

function fail(code: MalformedRequestError["code"], command: string, detail?: string): DecodedRequest {
  return { ok: false, error: new MalformedRequestError(code, command, detail) };
}

/**
 * Decodes one classic request line (terminator already removed). Returns `undefined` for a
 * blank line: not a request, and not an error either (a person pressing Enter in telnet).
 * Command words are case-insensitive; names and tokens are not.
 */
export function decodeClassicRequest(line: string): DecodedRequest | undefined {
  const words = new WordCursor(line);
  const word = words.next();
  if (word === undefined) return undefined;
  const command = word.toLowerCase();
  switch (command) {
    case "auth": {
      const user = words.next();
      const password = words.next();
      if (user === undefined || password === undefined) return fail("MISSING_ARGUMENT", command, "auth <user> <password>");
      if (!isValidName(user)) return fail("INVALID_ARGUMENT", command, "bad user name");
      return { ok: true, request: { kind: "auth", user, password } };
    }
    case "send": {
      const token = words.next();
      const to = words.next();
      if (token === undefined || to === undefined) return fail("MISSING_ARGUMENT", command, "send <token> <user> <text>");
      const address = parseAddress(to);
      if (address === undefined) return fail("INVALID_ARGUMENT", command, `bad recipient '${to.slice(0, 80)}'`);
      const text = words.rest();
      if (text.length === 0) return fail("EMPTY_MESSAGE", command);
      return { ok: true, request: { kind: "send", token, to: address, text } };
    }
    case "inbox":
    case "logout": {
      const token = words.next();
      if (token === undefined) return fail("MISSING_ARGUMENT", command, `${command} <token>`);
      return { ok: true, request: { kind: command, token } };
    }
    case "group": {
      const token = words.next();
      const group = words.next();
      if (token === undefined || group === undefined) return fail("MISSING_ARGUMENT", command, "group <token> <name>");
      const address = parseAddress(group);
      if (address === undefined) return fail("INVALID_ARGUMENT", command, "bad group name");
      // The seed's client appends the state word `origin`; the inter-server states it used
      // (`other`, `comeback`) are not for clients.
      const state = words.next();
      if (state !== undefined && state !== "origin") return fail("INVALID_ARGUMENT", command, `unexpected '${state.slice(0, 40)}'`);
      return { ok: true, request: { kind: "group", token, group: address.user, realm: address.realm } };
    }
    default:
      return fail("UNKNOWN_COMMAND", command.slice(0, 40), `'${command.slice(0, 40)}'`);
  }
}

/** Encodes a request as the seed's client writes it, `\r\n` included. */
export function encodeClassicRequest(request: ClassicRequest): string {
  switch (request.kind) {
    case "auth":
      return `auth ${request.user} ${request.password}\r\n`;
    case "send": {
      const to = request.to.realm === undefined ? request.to.user : `${request.to.user}@${request.to.realm}`;
      return `send ${request.token} ${to} ${request.text}\r\n`;
    }
    case "inbox":
      return `inbox ${request.token}\r\n`;
    case "logout":
      return `logout ${request.token}\r\n`;
    case "group": {
      const group = request.realm === undefined ? request.group : `${request.group}@${request.realm}`;
      return `group ${request.token} ${group} origin\r\n`;
    }
  }
}
