import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LiveWire } from "./live-client.ts";
import { runRealmServer, serveRealm } from "./support/realm-server-bin.ts";
import { WireClient } from "./wire-client.ts";

let dir: string | undefined;
let server: ChildProcess | undefined;
const clients: Array<{ close(): void }> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  server?.kill("SIGKILL");
  server = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("the operator and the people online (admin socket)", () => {
  it("sessions lists connections; notice reaches them; remove-member takes one out of a group; end-sessions ends a user's", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-ops-"));
    const config = join(dir, "realm.json");
    const data = join(dir, "data");
    for (const [user, password] of [
      ["messi", "surabaya"],
      ["lineker", "gary"],
    ] as const)
      expect((await runRealmServer(["add-user", "-c", config, "--realm", "oprealm", "-u", user, "--password", password])).code).toBe(0);
    expect(await runRealmServer(["sessions", "-d", data])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("no realm is running"),
    });
    const realm = await serveRealm(config, data);
    server = realm.child;

    const lineker = await WireClient.connect(realm.port);
    clients.push(lineker);
    lineker.write(`group ${await lineker.auth("lineker", "gary")} batak origin\r\n`);
    expect(await lineker.line()).toBe("lineker joined");
    const messi = await LiveWire.connect(realm.port);
    clients.push(messi);
    await messi.ok("auth", { user: "messi", password: "surabaya" });
    await messi.ok("join", { group: "batak" });
    expect(await lineker.line()).toBe("messi joined");

    const listed = await runRealmServer(["sessions", "-d", data, "--json"]);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as Array<{ user: string; protocol: string; peer: string }>).map((s) => [s.user, s.protocol])).toEqual(
      [
        ["lineker", "classic"],
        ["messi", "live"],
      ],
    );
    expect((await runRealmServer(["sessions", "-d", data])).stdout).toMatch(/^lineker {2}classic {2}from 127\.0\.0\.1:\d+ {2}since 20/);

    expect(await runRealmServer(["notice", "-d", data, "maintenance", "at", "noon"])).toMatchObject({
      code: 0,
      stdout: "shown on 2 connections (classic clients see it only in a group)\n",
    });
    expect(await lineker.line()).toBe("* notice from the operator: maintenance at noon");
    await messi.event((e) => e.ev === "notice" && e.text === "notice from the operator: maintenance at noon", "the notice");
    expect(await runRealmServer(["notice", "-d", data, "two\nlines"])).toMatchObject({
      code: 1,
      stderr: "realm-server: a notice is one line: no line breaks or other control characters\n",
    });

    expect(await runRealmServer(["remove-member", "-d", data, "batak", "messi"])).toMatchObject({
      code: 0,
      stdout: "removed messi from batak (out of it now on 1 connection)\n",
    });
    await messi.event((e) => e.ev === "notice" && e.text === "batak: the realm's operator removed you from the group", "the removal");
    expect(await lineker.line()).toBe("messi left");
    expect(JSON.parse((await runRealmServer(["groups", "-d", data, "--json"])).stdout)).toMatchObject([
      { name: "batak", members: ["lineker"] },
    ]);
    expect(await messi.request("say", { group: "batak", text: "still here?" })).toMatchObject({ ok: false });
    expect(await runRealmServer(["remove-member", "-d", data, "batak", "ghost"])).toMatchObject({
      code: 1,
      stderr: "realm-server: 'ghost' is not a member of batak\n",
    });

    expect(await runRealmServer(["end-sessions", "-d", data, "lineker"])).toMatchObject({
      code: 0,
      stdout: "ended 1 session of lineker and closed 1 connection\n",
    });
    expect(await lineker.line()).toBe("* the realm's operator ended your session");
    await lineker.waitClosed();
    const after = JSON.parse((await runRealmServer(["sessions", "-d", data, "--json"])).stdout) as Array<{ user: string }>;
    expect(after.map((s) => s.user)).toEqual(["messi"]);
    expect(realm.log()).toContain("sessions ended by the operator");
  }, 60_000);
});
