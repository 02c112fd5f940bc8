import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const UNITS = join(ROOT, "packaging", "systemd");

/** The packages' binaries, as the units start them from an install in /opt/realmchat. */
const SERVICES = [
  { unit: "realm-server@.service", pkg: "realm-server", bin: "realm-server" },
  { unit: "peer-bridge@.service", pkg: "peer-bridge", bin: "peer-bridge" },
] as const;

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function systemdAnalyze(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("systemd-analyze", [...args], { cwd }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr }),
    );
  });
}

/** The unit as an instance for realm1, in a folder of its own (verify reads templates beside the instance named). */
async function instanceOf(unit: string, text?: string): Promise<string> {
  dir ??= await mkdtemp(join(tmpdir(), "units-"));
  if (text === undefined) await copyFile(join(UNITS, unit), join(dir, unit));
  else await writeFile(join(dir, unit), text);
  return `./${unit.replace("@.", "@realm1.")}`;
}

describe("the systemd units (packaging/systemd)", () => {
  it.each(SERVICES)("$unit passes systemd-analyze verify with no warning, is hardened, and starts its package's bin", async (s) => {
    const instance = await instanceOf(s.unit);
    const verified = await systemdAnalyze(["verify", instance], dir as string);
    expect(verified).toEqual({ code: 0, stdout: "", stderr: "" });
    const security = await systemdAnalyze(["security", "--offline=yes", instance], dir as string);
    const exposure = /Overall exposure level for \S+: (\d+\.\d+)/.exec(security.stdout + security.stderr)?.[1];
    expect(Number(exposure)).toBeLessThanOrEqual(4);
    const text = await readFile(join(UNITS, s.unit), "utf8");
    for (const key of ["DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "CapabilityBoundingSet="])
      expect(text).toContain(`\n${key}\n`);
    const pkg = JSON.parse(await readFile(join(ROOT, "packages", s.pkg, "package.json"), "utf8")) as {
      bin: Record<string, string>;
      engines: { node: string };
    };
    const bin = pkg.bin[s.bin] as string;
    expect(text).toContain(`/opt/realmchat/packages/${s.pkg}/${bin.replace("./", "")} `);
    expect(pkg.engines.node).toBe(">=24");
  });

  it("a broken unit is caught: the verifier is real", async () => {
    const text = (await readFile(join(UNITS, "realm-server@.service"), "utf8")).replace("Restart=on-failure", "Restart=sometimes");
    const instance = await instanceOf("realm-server@.service", text);
    const verified = await systemdAnalyze(["verify", instance], dir as string);
    expect(verified.stderr).toContain("Failed to parse service restart specifier");
  });
});
