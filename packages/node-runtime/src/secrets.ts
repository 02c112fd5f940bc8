import { randomBytes } from "node:crypto";

const MIN_LENGTH = 32;
const MIN_BITS_PER_CHAR = 3.5;

/** Shannon entropy of the string's own character frequencies, in bits per character. */
function bitsPerChar(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Why a shared secret is unfit, or undefined if it looks random: at least 32 characters of the
 * base64 or hex alphabets, letters and digits both, and no run of a few characters repeated.
 * Readable phrases are refused because a handshake proof made with one could be guessed offline.
 */
export function secretProblem(secret: string): string | undefined {
  if (secret.length < MIN_LENGTH) return `must be at least ${MIN_LENGTH} characters`;
  if (!/^[A-Za-z0-9+/=_-]+$/.test(secret)) return "must be a generated secret (base64 or hex), not a phrase";
  if (!/[0-9]/.test(secret) || !/[A-Za-z]/.test(secret) || bitsPerChar(secret) < MIN_BITS_PER_CHAR) return "does not look random enough";
  return undefined;
}

/** A new secret: 32 random bytes, base64url (43 characters), fit for `secretProblem`. */
export function generateSecret(): string {
  for (;;) {
    const secret = randomBytes(32).toString("base64url");
    if (secretProblem(secret) === undefined) return secret;
  }
}
