import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, startRealmServer, type RealmConfig } from "../src/index.ts";
import { startTestPostgres, type TestPostgres } from "./support/embedded-postgres.ts";
import { WireClient } from "./wire-client.ts";

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await server.stop();
});

async function config(): Promise<RealmConfig> {
  const passwordHash = await hashPassword("surabaya");
  return { realm: "realm1", host: undefined, port: undefined, users: ["messi", "henderson"].map((username) => ({ username, displayName: username, passwordHash })) };
}

describe("a realm on PostgreSQL (--store postgres://…)", () => {
  it("serves classic clients, keeps everything across a restart, and two servers on one database share sessions and inboxes", async () => {
    const storeUrl = await server.createDatabase("realm1");
    const cfg = await config();
    const first = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const a = await WireClient.connect(first.listener.port);
    const messi = await a.auth("messi", "surabaya");
    for (let i = 0; i < 3; i++) expect(await a.request(`send ${messi} henderson kept ${i}\r\n`)).toMatchObject({ status: "OK" });
    a.close();
    await first.close();

    const second = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const other = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const b = await WireClient.connect(second.listener.port);
    const c = await WireClient.connect(other.listener.port);
    // A token from before the restart works, on either server.
    expect(await c.request(`send ${messi} henderson from the other server\r\n`)).toMatchObject({ status: "OK" });
    const henderson = await b.auth("henderson", "surabaya");
    const inbox = await c.request(`inbox ${henderson}\r\n`);
    expect((inbox.messages as Record<string, Array<{ msg: string }>>).messi?.map((m) => m.msg)).toEqual(["kept 0", "kept 1", "kept 2", "from the other server"]);
    b.close();
    c.close();
    await second.close();
    await other.close();
  }, 60_000);
});
