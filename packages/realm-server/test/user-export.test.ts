import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../src/password-hash.ts";
import { SqliteRealmStore } from "../src/store/sqlite/sqlite-realm-store.ts";
import { runRealmServer } from "./support/realm-server-bin.ts";

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function storeWith(data: string, users: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const store = SqliteRealmStore.open(data, { sessionIdleMs: 60_000, open: "create" });
  for (const [username, password] of users)
    await store.users.put({ username, displayName: username.toUpperCase(), passwordHash: await hashPassword(password) });
  await store.close();
}

describe("realm-server user export and import", () => {
  it("carries users with their password hashes to another realm; users there already are left as they were", async () => {
    dir = await mkdtemp(join(tmpdir(), "user-export-"));
    const from = join(dir, "from");
    const to = join(dir, "to");
    await storeWith(from, [
      ["messi", "surabaya"],
      ["lineker", "gary"],
    ]);
    await storeWith(to, [["lineker", "another"]]);
    const file = join(dir, "users.json");
    expect(await runRealmServer(["user", "export", "-d", from, "-o", file])).toMatchObject({ code: 0, stdout: "" });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const exported = JSON.parse(await readFile(file, "utf8")) as Array<{ username: string; passwordHash: string }>;
    expect(exported.map((u) => u.username)).toEqual(["lineker", "messi"]);
    expect(JSON.stringify(exported)).not.toContain("surabaya");

    expect(await runRealmServer(["user", "import", file, "-d", to])).toMatchObject({
      code: 0,
      stdout: "imported 1 user; 1 already here, left as they were\n",
    });
    const store = SqliteRealmStore.open(to, { sessionIdleMs: 60_000, open: "existing" });
    try {
      const messi = store.users.get("messi");
      expect(messi?.displayName).toBe("MESSI");
      expect(await verifyPassword("surabaya", messi?.passwordHash ?? "")).toBe(true);
      expect(await verifyPassword("another", store.users.get("lineker")?.passwordHash ?? "")).toBe(true);
    } finally {
      await store.close();
    }

    await writeFile(file, JSON.stringify([{ username: "bad name", displayName: "x", passwordHash: "nope" }]));
    expect(await runRealmServer(["user", "import", file, "-d", to])).toMatchObject({
      code: 1,
      stderr: "realm-server: 'bad name': not a valid user name or not a password hash; nothing imported\n",
    });
    await writeFile(file, "{}");
    expect((await runRealmServer(["user", "import", file, "-d", to])).stderr).toContain("not a user export");
  }, 60_000);
});
