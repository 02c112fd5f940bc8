export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Structured log sink shared by every process of the system. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Characters that end or split a line for some reader: C0 and C1 controls, DEL, U+2028, U+2029. */
function breaksLine(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029;
}

/** A value a client chose must never end the line nor pass for another field. */
function needsQuotes(text: string): boolean {
  if (text.length === 0) return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x22 || c === 0x3d || c === 0x5c || breaksLine(c)) return true;
  }
  return false;
}

/** Whether `text` holds a character that ends or splits a line for some reader (C0, C1, DEL, U+2028/9). */
export function hasLineBreaker(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (breaksLine(text.charCodeAt(i))) return true;
  return false;
}

/** `text` as a JSON string, with the controls JSON leaves raw (DEL, C1, U+2028/9) escaped too. */
function quote(text: string): string {
  let out = "";
  for (const ch of JSON.stringify(text)) {
    const c = ch.charCodeAt(0);
    out += breaksLine(c) ? `\\u${c.toString(16).padStart(4, "0")}` : ch;
  }
  return out;
}

/**
 * `line` with DEL, C1 controls and U+2028/9 written as `\uXXXX`: in a JSON line these stand only
 * inside strings, so the JSON reads back the same, and no terminal or line reader is misled.
 */
export function escapeLineBreakers(line: string): string {
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c >= 0x7f && breaksLine(c)) break;
    i++;
  }
  if (i === line.length) return line;
  let out = line.slice(0, i);
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    out += c >= 0x7f && breaksLine(c) ? `\\u${c.toString(16).padStart(4, "0")}` : line[i];
  }
  return out;
}

/** A field's value as it stands in a log line: bare when that is safe, else quoted and escaped. */
export function logValue(value: string | number | boolean): string {
  const text = String(value);
  return needsQuotes(text) ? quote(text) : text;
}

/**
 * One log line: `<ISO time> <level> [<scope>] <message> key=value …\n` (logfmt). Values are
 * escaped by {@link logValue}, and a message holding a line break is quoted, so one entry is
 * always exactly one line whatever a client sent.
 */
export function formatLogLine(level: string, scope: string, message: string, fields?: LogFields): string {
  let line = `${new Date().toISOString()} ${level} [${scope}] ${hasLineBreaker(message) ? quote(message) : message}`;
  if (fields !== undefined) for (const key in fields) if (fields[key] !== undefined) line += ` ${key}=${logValue(fields[key])}`;
  return line + "\n";
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
