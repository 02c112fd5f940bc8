import { afterEach, describe, expect, it } from "vitest";
import { OP_ACCESS } from "../src/connections/live/live-dispatch.ts";
import { LiveWire } from "./live-client.ts";
import { startTestRealm } from "./test-realm.ts";

type SessionOp = { [K in keyof typeof OP_ACCESS]: (typeof OP_ACCESS)[K] extends "session" ? K : never }[keyof typeof OP_ACCESS];

/** A valid request of every op that needs a session (a new op must be listed here to compile). */
const SESSION_REQUESTS = {
  logout: {},
  send: { to: "henderson", text: "x" },
  inbox: {},
  ack: { upTo: "x" },
  join: { group: "batak" },
  leave: { group: "batak" },
  say: { group: "batak", text: "x" },
  groups: {},
  who: { group: "batak" },
  history: { group: "batak", before: "x" },
  read: { conversation: "#batak", ts: 1 },
  markers: {},
} satisfies Record<SessionOp, Record<string, unknown>>;

let realm: Awaited<ReturnType<typeof startTestRealm>> | undefined;
afterEach(async () => {
  await realm?.close();
});

describe("the live dispatcher's access table", () => {
  it("refuses every op that needs a session before a login, and serves the open ones", async () => {
    realm = await startTestRealm();
    const c = await LiveWire.connect(realm.listener.port);
    for (const [op, fields] of Object.entries(SESSION_REQUESTS))
      expect({ op, reply: await c.request(op, fields) }).toMatchObject({ op, reply: { ok: false, code: "SESSION_NOT_FOUND" } });
    expect(await c.request("hello", { v: 2 })).toMatchObject({ ok: true });
    expect(await c.request("resume", { token: "nope" })).toMatchObject({ ok: false, code: "SESSION_NOT_FOUND" });
    expect(await c.request("auth", { user: "messi", password: "surabaya" })).toMatchObject({ ok: true });
    // Logged in, the same requests are served (or refused for what they ask, not for the session).
    const served = await c.request("markers");
    expect(served).toMatchObject({ ok: true, markers: [] });
    c.close();
  });
});
