import { describe, expect, it } from "vitest";
import { serviceRealm } from "../../test/service-realm.ts";
import { RequestError } from "../request-error.ts";

describe("SessionService", () => {
  it("opens a session for the right password and refuses a wrong one and an unknown user alike", async () => {
    const { realm } = await serviceRealm();
    const { sessions } = realm.services;
    const session = await sessions.authenticate("messi", "secret", "test");
    expect((await sessions.requireUser(session.token)).displayName).toBe("MESSI");
    const wrong = await sessions.authenticate("messi", "nope", "test").catch((e: unknown) => e);
    const unknown = await sessions.authenticate("nobody", "secret", "test").catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(RequestError);
    expect(unknown).toMatchObject({ code: "AUTH_FAILED", message: (wrong as RequestError).message });
  });

  it("ends a session with logout; the token then fails, with the caller's message if it gave one", async () => {
    const { realm } = await serviceRealm();
    const { sessions } = realm.services;
    const { token } = await sessions.authenticate("henderson", "secret", "test");
    await sessions.logout(token);
    await expect(sessions.requireSession(token)).rejects.toMatchObject({ code: "SESSION_NOT_FOUND", message: "session not found" });
    // Thrown at once by a store that holds sessions in memory, rejected by one that does not: either way refused.
    await expect((async () => sessions.requireUser(token, "log in first"))()).rejects.toMatchObject({
      code: "SESSION_NOT_FOUND",
      message: "log in first",
    });
    await expect(sessions.logout(token)).rejects.toMatchObject({ code: "SESSION_NOT_FOUND" });
  });
});
