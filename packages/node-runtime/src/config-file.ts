import { readFile } from "node:fs/promises";
import { isValidName } from "@realmchat/protocol";
import { keysOf, TLS_FILES_KEYS } from "./config-keys.ts";
import { jsonErrorOffset } from "./json-error-offset.ts";
import { secretProblem } from "./secrets.ts";

/** A config file that cannot be read or does not validate; `path` names the file. */
export class ConfigFileError extends Error {
  override readonly name: string = "ConfigFileError";
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(`${path}: ${message}`, options);
    this.path = path;
  }
}

/** Makes the error a config of one kind reports (a realm's, a bridge's). */
export type ConfigErrorFactory = (path: string, message: string, options?: { cause?: unknown }) => ConfigFileError;

/**
 * Checks the fields of one JSON config file. Every check either returns the value with its type
 * or throws the file's error with the field's name, so a parser reads as a list of fields.
 */
export class ConfigReader {
  readonly path: string;
  readonly #error: ConfigErrorFactory;

  constructor(path: string, error: ConfigErrorFactory) {
    this.path = path;
    this.#error = error;
  }

  fail(message: string, cause?: unknown): never {
    throw this.#error(this.path, message, cause === undefined ? undefined : { cause });
  }

  /** The file's text as a JSON object; a syntax error names its line and column. */
  parseObject(text: string): Record<string, unknown> {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (cause) {
      this.fail(`not valid JSON${whereInText(text, (cause as Error).message)}: ${jsonProblem((cause as Error).message)}`, cause);
    }
    return this.object(raw, "the file");
  }

  /** Refuses keys the file's format does not have (a typo would otherwise be ignored silently). */
  only(value: Record<string, unknown>, known: readonly string[], where: string): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.fail(`unknown key '${key}' in ${where} (known: ${known.join(", ")})`);
    }
  }

  object(value: unknown, where: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.fail(where === "the file" ? "expected a JSON object" : `'${where}' must be an object`);
    }
    return value as Record<string, unknown>;
  }

  array(value: unknown, where: string): unknown[] {
    if (!Array.isArray(value)) this.fail(`'${where}' must be an array`);
    return value;
  }

  name(value: unknown, where: string, what = "a name (letters, digits, _ - .)"): string {
    if (typeof value !== "string" || !isValidName(value)) this.fail(`'${where}' must be ${what}`);
    return value;
  }

  optionalString(value: unknown, where: string): string | undefined {
    if (value !== undefined && typeof value !== "string") this.fail(`'${where}' must be a string`);
    return value;
  }

  optionalPort(value: unknown, where: string): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535)
      this.fail(`'${where}' must be a port 0..65535`);
    return value;
  }

  /** An optional `{cert, key}` pair of PEM file paths. */
  optionalTlsFiles(value: unknown, where: string): { readonly cert: string; readonly key: string } | undefined {
    if (value === undefined) return undefined;
    const tls = this.object(value, where);
    this.only(tls, keysOf(TLS_FILES_KEYS), where);
    if (typeof tls.cert !== "string" || typeof tls.key !== "string") this.fail(`'${where}' needs 'cert' and 'key' (paths of PEM files)`);
    return { cert: tls.cert, key: tls.key };
  }

  /** An optional SHA-256 certificate fingerprint to pin, `AB:CD:…` (32 bytes). */
  optionalFingerprint(value: unknown, where: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string" || !/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/.test(value))
      this.fail(`'${where}' must be a SHA-256 fingerprint AB:CD:… (see \`peer-bridge fingerprint\`)`);
    return value.toUpperCase();
  }

  /** A shared secret that looks generated (see `secretProblem`; docs/protocol.md, "Link handshake"). */
  secret(value: unknown, where: string, generateWith: string): string {
    if (typeof value !== "string") this.fail(`'${where}' must be a string (make one with \`${generateWith}\`)`);
    const problem = secretProblem(value);
    if (problem !== undefined) this.fail(`'${where}' ${problem} (make one with \`${generateWith}\`)`);
    return value;
  }
}

/** ` at line L, column C` where the JSON first goes wrong. */
function whereInText(text: string, message: string): string {
  if (text.trim() === "") return " (the file is empty)";
  const named = /position (\d+)/.exec(message);
  const offset = named === null ? jsonErrorOffset(text) : Number(named[1]);
  if (offset === undefined) return "";
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return ` at line ${line}, column ${column}`;
}

/** V8's message without its own position suffix. */
function jsonProblem(message: string): string {
  return message
    .replace(/ (?:in JSON )?at position \d+.*$/s, "")
    .replace(/, ".*" is not valid JSON$/s, "")
    .replace(/\n/g, "\\n");
}

/** Reads a config file's text; a missing or unreadable file is the file's error. */
export async function readConfigText(path: string, error: ConfigErrorFactory): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw error(path, "cannot read the file", { cause });
  }
}
