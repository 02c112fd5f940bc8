import type { ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as connectTls } from "node:tls";
import { makeSelfSignedCertificate, parseLogLines } from "@realmchat/node-runtime";
import { afterEach, describe, expect, it } from "vitest";
import { runRealmServer, serveRealm } from "./support/realm-server-bin.ts";
import { WireClient } from "./wire-client.ts";

let dir: string | undefined;
let server: ChildProcess | undefined;
afterEach(async () => {
  server?.kill("SIGKILL");
  server = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Starts `serve` as a child process; resolves with its client port and what it logged. */
async function serve(config: string, data: string): Promise<{ port: number; federationPort: number | undefined; log: () => string }> {
  const running = await serveRealm(config, data);
  server = running.child;
  return running;
}

async function canLogIn(port: number, user: string, password: string): Promise<boolean> {
  const client = await WireClient.connect(port);
  try {
    await client.auth(user, password);
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
}

/** The SHA-256 fingerprint of the certificate served at `port` now. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? "none");
      socket.destroy();
    });
    socket.once("error", reject);
  });
}

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`never saw ${what}`);
};

describe("operating a running realm", () => {
  it("user add, passwd, list and del take effect at once; status answers; SIGHUP reloads the config; logins are logged", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-ops-"));
    const config = join(dir, "realm.json");
    const data = join(dir, "data");
    expect((await runRealmServer(["add-user", "-c", config, "--realm", "oprealm", "-u", "messi", "--password", "surabaya"])).code).toBe(0);
    const { port, log } = await serve(config, data);

    const added = await runRealmServer(["user", "add", "newbie", "-n", "New Bie", "-d", data], "first-pw\n");
    expect(added).toMatchObject({ code: 0, stdout: "added user newbie\n" });
    expect(await canLogIn(port, "newbie", "first-pw")).toBe(true);
    expect(await runRealmServer(["user", "add", "newbie", "-d", data, "--password", "x"])).toMatchObject({
      code: 1,
      stderr: "realm-server: user 'newbie' exists (change its password with `user passwd`)\n",
    });
    expect((await runRealmServer(["user", "list", "-d", data])).stdout).toBe("messi\nnewbie  (New Bie)\n");

    expect((await runRealmServer(["user", "passwd", "newbie", "-d", data, "--password", "second-pw"])).code).toBe(0);
    expect(await canLogIn(port, "newbie", "first-pw")).toBe(false);
    const client = await WireClient.connect(port);
    const token = await client.auth("newbie", "second-pw");
    const status = await runRealmServer(["status", "-d", data, "--json"]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ realm: "oprealm", users: 2, bridgeLinked: false, outbox: 0 });
    expect((await runRealmServer(["status", "-d", data])).stdout).toContain("realm oprealm, up");

    expect(await runRealmServer(["user", "del", "newbie", "-d", data])).toMatchObject({
      code: 0,
      stdout: "deleted user newbie and ended 2 sessions\n",
    });
    expect(await client.request(`inbox ${token}\r\n`)).toMatchObject({ status: "ERROR" });
    client.close();
    expect(await canLogIn(port, "newbie", "second-pw")).toBe(false);

    // A user added to the config file while the realm runs can log in after SIGHUP.
    expect((await runRealmServer(["add-user", "-c", config, "-u", "lineker", "--password", "gary"])).code).toBe(0);
    expect(await canLogIn(port, "lineker", "gary")).toBe(false);
    server?.kill("SIGHUP");
    await until(() => log().includes("config reloaded"), "the reload");
    expect(await canLogIn(port, "lineker", "gary")).toBe(true);
    expect(log()).toContain("logged in");
    expect(log()).toContain("client disconnected");

    // groups: those homed here with their members, and who is in each now.
    const lineker = await WireClient.connect(port);
    lineker.write(`group ${await lineker.auth("lineker", "gary")} batak origin\r\n`);
    expect(await lineker.line()).toBe("lineker joined");
    const groups = await runRealmServer(["groups", "-d", data, "--json"]);
    expect(groups.code).toBe(0);
    expect(JSON.parse(groups.stdout)).toMatchObject([{ name: "batak", createdBy: "lineker", members: ["lineker"], online: 1 }]);
    expect((await runRealmServer(["groups", "-d", data])).stdout).toMatch(
      /^#batak: 1 member, 1 in it now \(lineker\); made by lineker at /,
    );
    lineker.close();
  }, 60_000);

  it("SIGHUP serves a renewed TLS certificate without a restart and logs what needs one", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-ops-"));
    const config = join(dir, "realm.json");
    expect((await runRealmServer(["add-user", "-c", config, "--realm", "tlsrealm", "-u", "messi", "--password", "surabaya"])).code).toBe(0);
    const before = makeSelfSignedCertificate(dir, "before");
    const cert = join(dir, "realm.cert.pem");
    const key = join(dir, "realm.key.pem");
    await copyFile(before.cert, cert);
    await copyFile(before.key, key);
    // The federation port has a certificate of its own (its bridge pins it).
    const linkBefore = makeSelfSignedCertificate(dir, "link-before");
    const linkCert = join(dir, "link.cert.pem");
    const linkKey = join(dir, "link.key.pem");
    await copyFile(linkBefore.cert, linkCert);
    await copyFile(linkBefore.key, linkKey);
    const federation = {
      port: 0,
      secret: "0f3a9c1e7b2d4856a0c3e9f1b7d24c6e8a1f3b5d7c9e0a2b4c6d8e0f1a3b5c7d",
      tls: { cert: linkCert, key: linkKey },
    };
    const written = JSON.parse(await readFile(config, "utf8")) as Record<string, unknown>;
    await writeFile(config, JSON.stringify({ ...written, tls: { cert, key }, federation }));
    const { port, federationPort, log } = await serve(config, join(dir, "data"));
    expect(await servedFingerprint(port)).toBe(before.fingerprint);
    expect(await servedFingerprint(federationPort as number)).toBe(linkBefore.fingerprint);

    const renewed = makeSelfSignedCertificate(dir, "renewed");
    await copyFile(renewed.cert, cert);
    await copyFile(renewed.key, key);
    const linkRenewed = makeSelfSignedCertificate(dir, "link-renewed");
    await copyFile(linkRenewed.cert, linkCert);
    await copyFile(linkRenewed.key, linkKey);
    await writeFile(config, JSON.stringify({ ...written, tls: { cert, key }, federation, host: "127.0.0.2" }));
    server?.kill("SIGHUP");
    await until(() => parseLogLines(log()).some((e) => e.msg === "config reloaded"), "the reload");
    const reload = parseLogLines(log()).find((e) => e.msg === "config reloaded");
    expect(reload).toMatchObject({
      level: "info",
      role: "realm",
      name: "tlsrealm",
      certificate: "read again",
      federation_certificate: "read again",
    });
    expect(reload?.needs_restart).toContain("host");
    expect(await servedFingerprint(port)).toBe(renewed.fingerprint);
    expect(await servedFingerprint(federationPort as number)).toBe(linkRenewed.fingerprint);
    expect(server?.exitCode).toBeNull();
  }, 60_000);

  it("user commands work on a stopped realm's store, refuse a folder with none; status says plainly that nothing runs", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-ops-"));
    const config = join(dir, "realm.json");
    const data = join(dir, "data");
    // Pointed at a folder with no store (another working folder, a typo), nothing is created.
    const missing = await runRealmServer(["user", "add", "kai", "-d", data, "--password", "pw"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no database at ${join(data, "realm.db")}`);
    expect(existsSync(data)).toBe(false);
    expect((await runRealmServer(["add-user", "-c", config, "--realm", "oprealm", "-u", "messi", "--password", "surabaya"])).code).toBe(0);
    await serve(config, data);
    server?.kill("SIGTERM");
    await new Promise((r) => server?.once("exit", r));
    expect(await runRealmServer(["user", "add", "kai", "-d", data, "--password", "pw"])).toMatchObject({
      code: 0,
      stdout: "added user kai\n",
    });
    expect((await runRealmServer(["user", "list", "-d", data])).stdout).toBe("kai\nmessi\n");
    expect(await runRealmServer(["groups", "-d", data])).toMatchObject({ code: 0, stdout: "no groups\n" });
    const status = await runRealmServer(["status", "-d", data]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain("no realm is running on");
    expect((await runRealmServer(["user", "list"])).code).toBe(2);
    expect((await runRealmServer(["user"])).code).toBe(2);
  });

  it("a config user deleted or given a new password stays so across restarts and reloads", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-ops-"));
    const config = join(dir, "realm.json");
    const data = join(dir, "data");
    expect((await runRealmServer(["add-user", "-c", config, "--realm", "oprealm", "-u", "messi", "--password", "surabaya"])).code).toBe(0);
    expect((await runRealmServer(["add-user", "-c", config, "-u", "lineker", "--password", "gary"])).code).toBe(0);
    let running = await serve(config, data);
    expect(await canLogIn(running.port, "messi", "surabaya")).toBe(true);
    expect((await runRealmServer(["user", "del", "messi", "-d", data])).code).toBe(0);
    expect((await runRealmServer(["user", "passwd", "lineker", "-d", data, "--password", "new-pw"])).code).toBe(0);
    server?.kill("SIGHUP");
    await until(() => running.log().includes("config reloaded"), "the reload");
    expect(await canLogIn(running.port, "messi", "surabaya")).toBe(false);
    server?.kill("SIGTERM");
    await new Promise((r) => server?.once("exit", r));
    running = await serve(config, data);
    expect(await canLogIn(running.port, "messi", "surabaya")).toBe(false);
    expect(await canLogIn(running.port, "lineker", "gary")).toBe(false);
    expect(await canLogIn(running.port, "lineker", "new-pw")).toBe(true);
  }, 60_000);

  it("keeps secrets to their owner: data folder 0700, database and rewritten config 0600, no password on the command line", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-ops-"));
    const config = join(dir, "realm.json");
    const data = join(dir, "data");
    expect((await runRealmServer(["add-user", "-c", config, "--realm", "oprealm", "-u", "messi", "--password", "surabaya"])).code).toBe(0);
    const { port } = await serve(config, data);
    expect(await canLogIn(port, "messi", "surabaya")).toBe(true);
    const mode = (path: string): number => statSync(path).mode & 0o777;
    expect(mode(data)).toBe(0o700);
    expect(mode(join(data, "realm.db"))).toBe(0o600);
    expect(mode(join(data, "realm.db-wal"))).toBe(0o600);
    expect(mode(config)).toBe(0o600);
    expect((await runRealmServer(["backup", "-d", data, join(dir, "copy.db")])).code).toBe(0);
    expect(mode(join(dir, "copy.db"))).toBe(0o600);
    const shown = await runRealmServer(["serve", "-c", config, "--store", "postgres://realm:hunter2@127.0.0.1:5432/realm"]);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toContain("PGPASSWORD");
  });

  it("check validates a config without starting: line and column of a JSON error, unknown keys, missing files", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-ops-"));
    const config = join(dir, "realm.json");
    expect((await runRealmServer(["add-user", "-c", config, "--realm", "checked", "-u", "messi", "--password", "pw"])).code).toBe(0);
    expect(await runRealmServer(["check", "-c", config])).toMatchObject({
      code: 0,
      stdout: `${config}: OK (realm checked, 1 user in the file, no federation)\n`,
    });
    await writeFile(config, '{\n  "realm": "r",\n  "users": [],\n}\n');
    expect((await runRealmServer(["check", "-c", config])).stderr).toContain("not valid JSON at line 4, column 1");
    await writeFile(config, '{ "realm": "r", "users": [], "prot": 1 }');
    expect((await runRealmServer(["check", "-c", config])).stderr).toContain("unknown key 'prot' in the file");
    await writeFile(config, JSON.stringify({ realm: "r", users: [], tls: { cert: join(dir, "nope.pem"), key: join(dir, "nope.key") } }));
    const tls = await runRealmServer(["check", "-c", config]);
    expect(tls.code).toBe(1);
    expect(tls.stderr).toContain("tls:");
    expect(tls.stderr).toContain("openssl req");
    expect((await runRealmServer(["check", "-c", join(dir, "missing.json")])).stderr).toContain("cannot read the file");
  });
});
