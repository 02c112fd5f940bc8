import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

async function workspaceVersions(): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  for (const folder of ["packages", "apps"]) {
    for (const name of await readdir(join(ROOT, folder))) {
      const pkg = JSON.parse(await readFile(join(ROOT, folder, name, "package.json"), "utf8")) as { name: string; version: string };
      versions.set(pkg.name, pkg.version);
    }
  }
  return versions;
}

function printedVersion(pkg: string, bin: string): Promise<string> {
  const main = join(ROOT, "packages", pkg, "src", "bin", `${bin}.ts`);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--conditions=@realmchat/source", main, "--version"], (err, stdout) =>
      err === null ? resolve(stdout.trim()) : reject(err),
    );
  });
}

describe("versions (CHANGELOG.md)", () => {
  it("every package carries the newest release's version, and each command prints it", async () => {
    const changelog = await readFile(join(ROOT, "CHANGELOG.md"), "utf8");
    const newest = /^## (\d+\.\d+\.\d+) \(\d{4}-\d{2}-\d{2}\)$/m.exec(changelog)?.[1];
    expect(newest).toMatch(/^\d+\.\d+\.\d+$/);
    const versions = await workspaceVersions();
    expect(versions.size).toBe(8);
    for (const [name, version] of versions) expect({ name, version }).toEqual({ name, version: newest });
    expect(await printedVersion("realm-server", "realm-server")).toBe(newest);
    expect(await printedVersion("peer-bridge", "peer-bridge")).toBe(newest);
    expect(await printedVersion("cli", "realmchat")).toBe(newest);
  });
});
