import { parsePrometheusText, sampleValue, type Scrape } from "@realmchat/node-runtime";
import { afterEach, describe, expect, it } from "vitest";
import { LiveWire } from "./live-client.ts";
import { startTestRealm } from "./test-realm.ts";

type TestRealm = Awaited<ReturnType<typeof startTestRealm>>;
let realm: TestRealm | undefined;
const clients: LiveWire[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await realm?.close();
  realm = undefined;
});

async function liveUser(port: number, user: string, password = "surabaya"): Promise<LiveWire> {
  const c = await LiveWire.connect(port);
  clients.push(c);
  await c.request("auth", { user, password });
  return c;
}

function metricsUrl(running: TestRealm, path: string): string {
  const listener = running.metricsListener;
  if (listener === undefined) throw new Error("no metrics listener");
  return `http://127.0.0.1:${listener.port}${path}`;
}

async function scrape(running: TestRealm): Promise<Scrape> {
  const response = await fetch(metricsUrl(running, "/metrics"));
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

describe("a realm's metrics listener (config `metrics`)", () => {
  it("is off unless the config asks for it", async () => {
    realm = await startTestRealm();
    expect(realm.metricsListener).toBeUndefined();
  });

  it("counts logins, messages by kind, refusals and connections, and reads inboxes and the commit times", async () => {
    realm = await startTestRealm({ config: { metrics: { host: "127.0.0.1", port: 0 } } });
    const port = realm.listener.port;
    const before = await scrape(realm);
    expect(sampleValue(before, "realmchat_logins_total")).toBe(0);
    expect(sampleValue(before, "realmchat_inbox_messages", { of: "all" })).toBe(0);
    expect(sampleValue(before, "realmchat_connections", { protocol: "live" })).toBe(0);

    const messi = await liveUser(port, "messi");
    await liveUser(port, "henderson", "wrong password");
    await messi.ok("send", { to: "henderson", text: "one" });
    await messi.ok("send", { to: "henderson", text: "two" });
    await messi.ok("send", { to: "lineker", text: "three" });
    expect(await messi.request("send", { to: "nobody", text: "x" })).toMatchObject({ ok: false, code: "USER_NOT_FOUND" });
    await messi.ok("join", { group: "alpha" });
    await messi.ok("say", { group: "alpha", text: "hello group" });

    const after = await scrape(realm);
    expect(after.types.get("realmchat_logins_total")).toBe("counter");
    expect(sampleValue(after, "realmchat_logins_total")).toBe(1);
    expect(sampleValue(after, "realmchat_login_failures_total")).toBe(1);
    expect(sampleValue(after, "realmchat_messages_total", { kind: "private", direction: "in", peer: "client" })).toBe(4);
    expect(sampleValue(after, "realmchat_messages_total", { kind: "group", direction: "in", peer: "client" })).toBe(1);
    expect(sampleValue(after, "realmchat_refused_requests_total", { code: "USER_NOT_FOUND" })).toBe(1);
    expect(sampleValue(after, "realmchat_refused_requests_total", { code: "AUTH_FAILED" })).toBe(1);
    // Neither recipient is online: the three messages wait in their inboxes.
    expect(sampleValue(after, "realmchat_inbox_messages", { of: "all" })).toBe(3);
    expect(sampleValue(after, "realmchat_inbox_messages", { of: "inboxes" })).toBe(2);
    expect(sampleValue(after, "realmchat_inbox_messages", { of: "largest" })).toBe(2);
    expect(sampleValue(after, "realmchat_connections", { protocol: "live" })).toBe(2);
    expect(sampleValue(after, "realmchat_connections", { protocol: "classic" })).toBe(0);
    expect(sampleValue(after, "realmchat_users_online")).toBe(1);
    expect(sampleValue(after, "realmchat_commit_seconds_count")).toBeGreaterThan(0);
    expect(sampleValue(after, "realmchat_outbox_messages")).toBe(0);
    expect(sampleValue(after, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    // Every sample says which process it is from.
    expect(after.samples.every((s) => s.labels.role === "realm" && s.labels.name === "realm1")).toBe(true);
  });

  it("/healthz answers while alive; /readyz is 503 while the realm's bridge is not linked", async () => {
    realm = await startTestRealm({
      config: {
        metrics: { host: "127.0.0.1", port: 0 },
        federation: { host: "127.0.0.1", port: 0, secret: "a federation secret of some length" },
      },
    });
    expect(await (await fetch(metricsUrl(realm, "/healthz"))).text()).toBe("ok\n");
    const ready = await fetch(metricsUrl(realm, "/readyz"));
    expect([ready.status, await ready.text()]).toEqual([503, "not ready: bridge not linked\n"]);
    expect(sampleValue(await scrape(realm), "realmchat_bridge_linked")).toBe(0);
  });
});
