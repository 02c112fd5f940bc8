import { describe, expect, it } from "vitest";
import { InvalidPasswordHashError } from "./errors.ts";
import { hashPassword, parsePasswordHash, verifyPassword } from "./password-hash.ts";

describe("password hashes", () => {
  it("salts every hash and verifies only the right password", async () => {
    const a = await hashPassword("surabaya");
    const b = await hashPassword("surabaya");
    expect(a).not.toBe(b);
    expect(a).not.toContain("surabaya");
    expect(await verifyPassword("surabaya", a)).toBe(true);
    expect(await verifyPassword("surabaya ", a)).toBe(false);
    expect(await verifyPassword("", a)).toBe(false);
  });

  it("rejects malformed hashes with a typed error", () => {
    for (const bad of ["", "surabaya", "scrypt$3$8$1$c2FsdA==$a2V5", "bcrypt$16384$8$1$c2FsdA==$a2V5", "scrypt$16384$8$1$$"]) {
      expect(() => parsePasswordHash(bad), bad).toThrow(InvalidPasswordHashError);
    }
  });
});
