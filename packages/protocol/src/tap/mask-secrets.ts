import { MASK, type TapDirection, type TapLink } from "./tap-event.ts";

/** Fields of live and federation frames whose values are secret, or stand in for one. */
const SECRET_FIELDS: ReadonlySet<string> = new Set(["password", "token", "tokenid", "proof", "secret", "nonce"]);

/**
 * Words that can only appear in a frame that carries a secret field, looked for in the lower-cased
 * text of a whole record before any frame of it is parsed: one scan per record, not per frame (and
 * measured at half the cost of one case-insensitive scan).
 */
const SECRET_WORDS = /password|token|proof|secret|nonce/;

const mentionsSecret = (text: string): boolean => SECRET_WORDS.test(text.toLowerCase());

/**
 * The secret fields as this project's encoders write them, link by link: the classic reply's
 * `tokenid`, the live reply's `token`, the federation handshake's `nonce` and `proof`. What a
 * server wrote, and what a federation link carries (whose handshake reads these keys and no
 * others), is searched for these only: a plain substring search, much cheaper than lower-casing
 * and scanning every record. What a client wrote may spell anything any way, and is scanned whole.
 * Each key is looked for without its opening quote: a pattern that starts with a quote, the
 * commonest character of JSON, was searched ten times slower (1 against 9 GB/s, V8 in Node 24),
 * and a key found elsewhere only sends the record through the parse that masks it.
 */
const WRITTEN_SECRET_KEYS: Readonly<Record<TapLink, readonly string[]>> = {
  classic: ['tokenid"'],
  live: ['token"'],
  websocket: ['token"'],
  federation: ['nonce"', 'proof"'],
};

function mentionsWrittenSecret(link: TapLink, frames: string): boolean {
  for (const key of WRITTEN_SECRET_KEYS[link]) if (frames.includes(key)) return true;
  return false;
}

/** A frame that mentions a secret and cannot be read as JSON is withheld whole. */
export const WITHHELD = `${MASK} (a frame that mentions a secret and is not valid JSON)`;

/**
 * Frames (one or more, separated by line ends) as the tap may show them: every password, token,
 * session id, handshake proof and nonce replaced by MASK. Classic requests carry their secret by
 * position (`auth <user> <password>`, `<command> <token> …`); everything else is JSON, and frames
 * that do not mention a secret field are returned as they are, unparsed. `dir` is the recording
 * process's: `out` is what it wrote.
 */
export function maskSecrets(link: TapLink, frames: string, dir: TapDirection): string {
  const fromClient = dir === "in" && link !== "federation";
  if (fromClient ? link !== "classic" && !mentionsSecret(frames) : !mentionsWrittenSecret(link, frames)) return frames;
  const lines = frames.split("\n");
  for (let i = 0; i < lines.length; i++) lines[i] = maskFrame(link, lines[i] as string);
  return lines.join("\n");
}

function maskFrame(link: TapLink, line: string): string {
  if (link === "classic" && line.charCodeAt(0) !== 0x7b) return maskClassicRequest(line);
  if (!mentionsSecret(line)) return line;
  const ending = line.endsWith("\r") ? "\r" : "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return WITHHELD + ending;
  }
  return JSON.stringify(masked(parsed)) + ending;
}

function masked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(masked);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = SECRET_FIELDS.has(key.toLowerCase()) ? MASK : masked(inner);
  return out;
}

const COMMANDS_WITH_TOKEN: ReadonlySet<string> = new Set(["send", "inbox", "group", "logout"]);

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/**
 * A classic request line (docs/protocol.md, "Classic requests"): the password of `auth` (its third
 * word), the token of every other command (its second). A line in group mode is chat text; one that
 * happens to start with a command word loses a word, which shows less, never more.
 */
function maskClassicRequest(line: string): string {
  let i = 0;
  let word = 0;
  let secretWord = -1;
  while (i < line.length) {
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    if (i === line.length) return line;
    const start = i;
    while (i < line.length && !isBlank(line.charCodeAt(i))) i++;
    if (word === 0) {
      const command = line.slice(start, i).toLowerCase();
      secretWord = command === "auth" ? 2 : COMMANDS_WITH_TOKEN.has(command) ? 1 : -1;
      if (secretWord === -1) return line;
    } else if (word === secretWord) {
      return line.slice(0, start) + MASK + line.slice(i);
    }
    word++;
  }
  return line;
}
