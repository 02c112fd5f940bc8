import { afterEach, describe, expect, it } from "vitest";
import { startTestRealm } from "./test-realm.ts";

type TestRealm = Awaited<ReturnType<typeof startTestRealm>>;
let realm: TestRealm;

afterEach(async () => {
  await realm?.close();
});

describe("classic operations over TCP", () => {
  it("auth returns a uuid v4 token; a wrong password or unknown user is an ERROR", async () => {
    realm = await startTestRealm();
    const c = await realm.connect();
    const ok = await c.request("auth messi surabaya \r\n");
    expect(ok.status).toBe("OK");
    expect(ok.tokenid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await c.request("auth messi wrong\r\n")).toMatchObject({ status: "ERROR", code: "AUTH_FAILED" });
    expect(await c.request("auth nobody surabaya\r\n")).toMatchObject({ status: "ERROR", code: "AUTH_FAILED" });
  });

  it("send puts the text, as typed, in the recipient's inbox; inbox drains in the seed's shape", async () => {
    realm = await startTestRealm();
    const messi = await realm.connect();
    const henderson = await realm.connect();
    const tm = await messi.auth("messi", "surabaya");
    const th = await henderson.auth("henderson", "surabaya");
    // Exactly the seed client's bytes: double space before the text and a trailing space.
    const sent = await messi.request(`send ${tm} henderson  apa  kabar disana? \r\n`);
    expect(sent).toMatchObject({ status: "OK", message: "Message Sent" });
    await messi.request(`send ${tm} henderson server send check group words are text\r\n`);
    const inbox = await henderson.request(`inbox ${th} \r\n`);
    expect(inbox.status).toBe("OK");
    const messages = inbox.messages as Record<string, Array<Record<string, unknown>>>;
    expect(Object.keys(messages)).toEqual(["messi"]);
    expect(messages.messi?.map((m) => m.msg)).toEqual(["apa  kabar disana?", "server send check group words are text"]);
    expect(messages.messi?.[0]).toMatchObject({ msg_from: "Lionel Messi", msg_to: "Jordan Henderson", from: "messi" });
    expect(messages.messi?.[0]?.id).toBe(sent.id);
    await new Promise((r) => setTimeout(r, 50));
    expect(henderson.pending).toBe("");
  }, 20_000);

  it('an empty inbox is exactly {"messages": {}}, and a drained inbox stays empty', async () => {
    realm = await startTestRealm();
    const c = await realm.connect();
    const t = await c.auth("lineker", "surabaya");
    c.write(`inbox ${t}\r\n`);
    expect(await c.rawReply()).toBe('{"status": "OK", "messages": {}}\r\n\r\n');
  });

  it("orders an inbox by sender of first arrival, then by arrival", async () => {
    realm = await startTestRealm();
    const [m, h, l] = [await realm.connect(), await realm.connect(), await realm.connect()];
    const [tm, th, tl] = [await m.auth("messi", "surabaya"), await h.auth("henderson", "surabaya"), await l.auth("lineker", "surabaya")];
    await h.request(`send ${th} messi one\r\n`);
    await l.request(`send ${tl} messi two\r\n`);
    await h.request(`send ${th} messi three\r\n`);
    const inbox = await m.request(`inbox ${tm}\r\n`);
    const messages = inbox.messages as Record<string, Array<{ msg: string }>>;
    expect(Object.keys(messages)).toEqual(["henderson", "lineker"]);
    expect(messages.henderson?.map((x) => x.msg)).toEqual(["one", "three"]);
    expect(messages.lineker?.map((x) => x.msg)).toEqual(["two"]);
  });

  it("escapes every non-ASCII character in replies, as the seed's server did", async () => {
    realm = await startTestRealm();
    const c = await realm.connect();
    const t = await c.auth("messi", "surabaya");
    await c.request(`send ${t} messi héllo 👋\r\n`);
    c.write(`inbox ${t}\r\n`);
    const raw = await c.rawReply();
    expect(raw).toContain('"msg": "h\\u00e9llo \\ud83d\\udc4b"');
    for (let i = 0; i < raw.length; i++) expect(raw.charCodeAt(i)).toBeLessThan(0x80);
  });

  it("answers every bad request with a clear ERROR and keeps the connection usable", async () => {
    realm = await startTestRealm();
    const c = await realm.connect();
    const t = await c.auth("messi", "surabaya");
    const cases: Array<[string, string]> = [
      ["hello world\r\n", "UNKNOWN_COMMAND"],
      ["server send messi henderson forged\r\n", "UNKNOWN_COMMAND"],
      ["check group messi batak other\r\n", "UNKNOWN_COMMAND"],
      ["auth messi\r\n", "MISSING_ARGUMENT"],
      [`send ${t}\r\n`, "MISSING_ARGUMENT"],
      [`send ${t} henderson\r\n`, "EMPTY_MESSAGE"],
      [`send ${t} nobody hi\r\n`, "USER_NOT_FOUND"],
      [`send ${t} henderson@elsewhere hi\r\n`, "USER_NOT_FOUND"],
      ["send not-a-token henderson hi\r\n", "SESSION_NOT_FOUND"],
      ["inbox not-a-token\r\n", "SESSION_NOT_FOUND"],
      ["group not-a-token batak\r\n", "SESSION_NOT_FOUND"],
      [`group ${t} batak comeback\r\n`, "INVALID_ARGUMENT"],
    ];
    for (const [line, code] of cases) {
      const reply = await c.request(line);
      expect(reply, line).toMatchObject({ status: "ERROR", code });
      expect(typeof reply.message).toBe("string");
    }
    expect(await c.request(`inbox ${t}\r\n`)).toMatchObject({ status: "OK" });
  });

  it("logout revokes the token", async () => {
    realm = await startTestRealm();
    const c = await realm.connect();
    const t = await c.auth("messi", "surabaya");
    expect(await c.request(`logout ${t}\r\n`)).toMatchObject({ status: "OK" });
    expect(await c.request(`inbox ${t}\r\n`)).toMatchObject({ status: "ERROR", code: "SESSION_NOT_FOUND" });
    expect(await c.request(`logout ${t}\r\n`)).toMatchObject({ status: "ERROR", code: "SESSION_NOT_FOUND" });
  });

  it("expires a token after the idle period, and use keeps it alive", async () => {
    realm = await startTestRealm({ sessionIdleMs: 1000 });
    const c = await realm.connect();
    const idle = await c.auth("messi", "surabaya");
    const busy = await c.auth("henderson", "surabaya");
    // The busy token is used every 200 ms, well inside its 1 s; the idle one not for 1.4 s.
    for (let i = 0; i < 7; i++) {
      await new Promise((r) => setTimeout(r, 200));
      expect(await c.request(`inbox ${busy}\r\n`)).toMatchObject({ status: "OK" });
    }
    expect(await c.request(`inbox ${idle}\r\n`)).toMatchObject({ status: "ERROR", code: "SESSION_NOT_FOUND" });
  });

  it("a token works from another connection (sessions are not tied to sockets)", async () => {
    realm = await startTestRealm();
    const a = await realm.connect();
    const t = await a.auth("messi", "surabaya");
    a.close();
    const b = await realm.connect();
    expect(await b.request(`inbox ${t}\r\n`)).toMatchObject({ status: "OK" });
  });
});
