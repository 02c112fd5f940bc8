import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./login-throttle.ts";

const limits = { loginFreeFailures: 3, loginMaxDelayMs: 400, loginAddressFailures: 5, loginAddressBlockMs: 60_000 };

describe("LoginThrottle", () => {
  it("lets a few failures through, then spaces a user's attempts, and refuses what would wait too long", async () => {
    const throttle = new LoginThrottle(limits);
    for (let i = 0; i < 3; i++) {
      expect(await throttle.admit("messi", `10.0.0.${i}`)).toEqual({ kind: "go" });
      throttle.failed("messi", `10.0.0.${i}`);
    }
    const started = Date.now();
    expect((await throttle.admit("messi", "10.0.1.1")).kind).toBe("go");
    expect((await throttle.admit("messi", "10.0.1.2")).kind).toBe("go");
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    // Many attempts at once queue up behind each other; those that would wait too long are refused.
    const verdicts = await Promise.all(["10.0.1.3", "10.0.1.4", "10.0.1.5"].map((a) => throttle.admit("messi", a)));
    expect([verdicts[0]?.kind, verdicts[2]?.kind]).toEqual(["go", "refused"]);
    // Another user is not affected, and a success clears the user's record.
    expect(await throttle.admit("henderson", "10.0.1.5")).toEqual({ kind: "go" });
    throttle.succeeded("messi");
    expect(await throttle.admit("messi", "10.0.1.6")).toEqual({ kind: "go" });
  });

  it("refuses an address after many failures, whatever user it tries", async () => {
    const throttle = new LoginThrottle(limits);
    for (let i = 0; i < 5; i++) throttle.failed(`user${i}`, "10.9.9.9");
    expect(await throttle.admit("someone", "10.9.9.9")).toMatchObject({ kind: "refused" });
    expect(await throttle.admit("someone", "10.9.9.8")).toEqual({ kind: "go" });
  });
});
