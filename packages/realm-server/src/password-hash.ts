import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { InvalidPasswordHashError } from "./errors.ts";

/** scrypt cost parameters: N=2^14, r=8, p=1 (node's defaults, ~50 ms and 16 MiB per hash). */
const DEFAULT_COST = { N: 16384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const PREFIX = "scrypt";

function derive(password: string, salt: Buffer, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, { ...cost, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Hashes a password as `scrypt$N$r$p$<salt base64>$<key base64>`. A lower `cost` is for test and
 * benchmark users only, whose thousands of logins should not measure scrypt.
 */
export async function hashPassword(
  password: string,
  cost: { readonly N: number; readonly r: number; readonly p: number } = DEFAULT_COST,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return [PREFIX, cost.N, cost.r, cost.p, salt.toString("base64"), key.toString("base64")].join("$");
}

interface ParsedHash {
  readonly cost: ScryptOptions;
  readonly salt: Buffer;
  readonly key: Buffer;
}

export function parsePasswordHash(encoded: string): ParsedHash {
  const parts = encoded.split("$");
  const [prefix, n, r, p, salt, key] = parts;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (parts.length !== 6 || prefix !== PREFIX || salt === undefined || key === undefined) {
    throw new InvalidPasswordHashError("expected scrypt$N$r$p$salt$key");
  }
  if (!Number.isInteger(cost.N) || cost.N < 2 || (cost.N & (cost.N - 1)) !== 0 || !(cost.r >= 1) || !(cost.p >= 1)) {
    throw new InvalidPasswordHashError("bad scrypt cost parameters");
  }
  const parsed = { cost, salt: Buffer.from(salt, "base64"), key: Buffer.from(key, "base64") };
  if (parsed.salt.length === 0 || parsed.key.length === 0) throw new InvalidPasswordHashError("empty salt or key");
  return parsed;
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const { cost, salt, key } = parsePasswordHash(encoded);
  const candidate = await derive(password, salt, cost);
  return candidate.length === key.length && timingSafeEqual(candidate, key);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real check, so that "no such user" and "wrong password" cannot be
 * told apart by timing.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword("not-a-real-password");
  await verifyPassword(password, await dummyHash);
  return false;
}
