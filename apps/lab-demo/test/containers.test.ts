import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parsePrometheusText } from "@realmchat/node-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./federation-fixtures.ts";
import { SeedStyleClient } from "./seed-style-client.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const COMPOSE_FILE = join(ROOT, "packaging", "compose", "compose.yaml");
const PROJECT = "realmchat-test";
const BASE_IMAGE = `localhost/realmchat-node-base:${process.versions.node}`;
const IMAGE = "localhost/realmchat:lab-test";
/** `.ci/run` installs them from Debian's packages. */
const TOOLS = ["podman", "podman-compose", "runc", "busybox"] as const;

let dir: string | undefined;
let env: NodeJS.ProcessEnv = process.env;

function run(command: string, args: readonly string[], timeoutMs = 300_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { env, cwd: ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) resolve({ stdout, stderr });
      else reject(new Error(`${command} ${args.join(" ")} failed: ${err.message}\n${stderr.slice(-4000)}`, { cause: err }));
    });
  });
}

const compose = (...args: string[]) => run("podman-compose", ["-p", PROJECT, "-f", COMPOSE_FILE, ...args]);

async function openFilesHardLimit(): Promise<string> {
  return (await run("sh", ["-c", "ulimit -Hn"])).stdout.trim();
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

/** Each process's metrics port as published by the compose file, and a series only it has. */
const PROCESSES = [
  { name: "realm1", metrics: 9101, series: "realmchat_bridge_linked" },
  { name: "realm2", metrics: 9102, series: "realmchat_bridge_linked" },
  { name: "bridge1", metrics: 9111, series: "realmchat_bridge_link_up" },
  { name: "bridge2", metrics: 9112, series: "realmchat_bridge_link_up" },
] as const;

async function allReady(): Promise<void> {
  for (const p of PROCESSES) {
    await eventually(
      async () => expect(await get(`http://127.0.0.1:${p.metrics}/readyz`)).toEqual({ status: 200, text: "ready\n" }),
      60_000,
      `${p.name} ready in its container`,
    );
  }
}

beforeAll(async () => {
  for (const tool of TOOLS) {
    await run("sh", ["-c", `command -v ${tool}`]).catch((err: unknown) => {
      throw new Error(`${tool} is not installed; .ci/run installs it from Debian's packages`, { cause: err });
    });
  }
  dir = await mkdtemp(join(tmpdir(), "containers-"));
  // The machines this is tested on run as root without CAP_SYS_RESOURCE and with cgroups in
  // hybrid mode: crun refuses both, and podman's default limits (above the machine's) cannot be
  // set. runc with limits no higher than the machine's works (for builds too); CNI with its
  // dnsname plugin lets the services find each other by name, as on Docker's default network.
  const conf = join(dir, "containers.conf");
  const nofile = await openFilesHardLimit();
  await writeFile(
    conf,
    [
      "[containers]",
      `default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=4096:4096"]`,
      "[engine]",
      'runtime = "runc"',
      "[network]",
      'network_backend = "cni"',
      "",
    ].join("\n"),
  );
  env = { ...process.env, CONTAINERS_CONF: conf, REALMCHAT_IMAGE: IMAGE, NODE_IMAGE: BASE_IMAGE };
  await compose("down", "-v");
  await run("bash", [join(ROOT, "scripts", "container", "node-base-image.sh"), BASE_IMAGE]);
}, 600_000);

afterAll(async () => {
  try {
    if (dir !== undefined) await compose("down", "-v");
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}, 120_000);

describe("the image (Dockerfile) and the lab's compose file (packaging/compose)", () => {
  it("builds; both realms and bridges run in containers, link, carry the seed client across realms, keep data over a restart", async () => {
    await compose("build", "realm1");
    expect((await run("podman", ["run", "--rm", IMAGE, "realm-server", "--version"])).stdout.trim()).toBe(
      (JSON.parse(await readFile(join(ROOT, "packages", "realm-server", "package.json"), "utf8")) as { version: string }).version,
    );

    await compose("up", "-d");
    await allReady();
    for (const p of PROCESSES) {
      const { status, text } = await get(`http://127.0.0.1:${p.metrics}/metrics`);
      expect(status).toBe(200);
      expect(parsePrometheusText(text).types.get(p.series)).toBe("gauge");
    }
    const page = await get("http://127.0.0.1:8888/");
    expect(page.status).toBe(200);
    expect(page.text).toContain("<html");

    const messi = await SeedStyleClient.connect(8889);
    await messi.login("messi", "surabaya");
    await eventually(async () => expect(await messi.sendmessage("james", "Halo dari kontainer")).toMatchObject({ status: "OK" }), 30_000);
    messi.socket.destroy();

    // Containers gone and made again: the message waits in realm2's volume.
    await compose("down");
    await compose("up", "-d");
    await allReady();
    const james = await SeedStyleClient.connect(8899);
    await james.login("james", "medan");
    expect(await james.sendstring(`inbox ${james.token} \r\n`)).toMatchObject({
      status: "OK",
      messages: { "messi@realm1": [{ msg_from: "Lionel Messi", msg: "Halo dari kontainer" }] },
    });
    await eventually(async () => expect(await james.sendmessage("messi", "baik, terima kasih!")).toMatchObject({ status: "OK" }), 30_000);
    james.socket.destroy();
    const messiAgain = await SeedStyleClient.connect(8889);
    await messiAgain.login("messi", "surabaya");
    await eventually(async () => {
      const inbox = await messiAgain.sendstring(`inbox ${messiAgain.token} \r\n`);
      expect(inbox).toMatchObject({ status: "OK", messages: { "james@realm2": [{ msg: "baik, terima kasih!" }] } });
    }, 30_000);
    messiAgain.socket.destroy();
  }, 600_000);
});
