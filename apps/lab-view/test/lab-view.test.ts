import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_CONFIG_DIR, demoRealms, LinkCutter, startLabView, Topology, untilFederated, type RunningLabView } from "lab-demo";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const DIST = fileURLToPath(new URL("../dist", import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL("../../../docs/screenshots", import.meta.url));
/** Debian's Chromium, installed by the project's scripts (.ci/run); never a downloaded browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let browser: Browser;
let topology: Topology;
let cutter: LinkCutter | undefined;
let lab: RunningLabView;
let dir: string;
const said: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(DIST, "index.html"))) throw new Error(`no built page at ${DIST}: run the lab-view package's build first`);
  dir = await mkdtemp(join(tmpdir(), "lab-view-"));
  topology = new Topology();
  // The demo's own configs and users, every port picked by the OS, the bridges linked through a cutter.
  await topology.startFederation(demoRealms(DEMO_CONFIG_DIR), {
    anyPort: true,
    dataRoot: join(dir, "data"),
    heartbeatMs: 500,
    maxBackoffMs: 400,
    tap: true,
    peerVia: async (_dialer, _peer, at) => {
      cutter = await LinkCutter.open(at);
      return cutter.address;
    },
  });
  await untilFederated(topology, { realm: "realm1", user: "lineker", password: "surabaya" }, "james@realm2");
  lab = await startLabView(topology, cutter as LinkCutter, { port: 0, pageDir: DIST, stepPauseMs: 150, say: (line) => said.push(line) });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await lab?.close();
  await topology?.close();
  await cutter?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function openLab(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 950 }, acceptDownloads: true })).newPage();
  await page.goto(lab.url);
  await page.getByText("connected", { exact: true }).waitFor();
  return page;
}

/** The hops of one message across realms, and its answer, as the table shows them. */
const ACROSS = [
  "messi@realm1 > realm1: send",
  "realm1 > bridge-realm1: batch",
  "bridge-realm1 > bridge-realm2: batch",
  "bridge-realm2 > realm2: batch",
  "realm2 > james@realm2: message",
  "bridge-realm2 > bridge-realm1: acks",
  "realm1 > messi@realm1: OK",
];

const frames = (page: Page) => page.getByRole("table", { name: "Frames" }).locator("tbody tr");

/** The table's rows as `from > to: kind`, all of them played (Live); only those of frames after `after` if given. */
async function rows(page: Page, after = -1): Promise<string[]> {
  await page.getByRole("button", { name: "Live" }).click();
  const all = await frames(page).evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "");
      return { n: Number(tr.getAttribute("data-n")), row: `${cells[1]} > ${cells[2]}: ${cells[3]}` };
    }),
  );
  return all.filter((r) => r.n > after).map((r) => r.row);
}

/** The number of the last frame in the table. */
const lastFrame = async (page: Page): Promise<number> => {
  await page.getByRole("button", { name: "Live" }).click();
  return Number((await frames(page).last().getAttribute("data-n")) ?? -1);
};

/**
 * Runs a scenario from its button, waits for its caption to say it is done and for the rows it
 * adds to hold every one of `expected`; the rows it added.
 */
async function runScenario(page: Page, name: string, expected: readonly string[], language: "en" | "id" = "en"): Promise<string[]> {
  const before = await lastFrame(page);
  await page.getByRole("navigation", { name: "Scenarios" }).getByRole("button", { name, exact: true }).click();
  const caption = page.getByRole("status", { name: "Caption" });
  await expect.poll(() => caption.textContent(), { timeout: 45_000 }).toMatch(language === "en" ? /\((done|failed)/ : /\((selesai|gagal)/);
  expect(await caption.textContent()).not.toMatch(/failed|gagal/);
  let added: string[] = [];
  await expect
    .poll(
      async () => {
        added = await rows(page, before);
        const missing = expected.filter((row) => !added.includes(row));
        return missing.length === 0 ? missing : [...missing, `-- rows added after ${before}:`, ...added];
      },
      { timeout: 10_000 },
    )
    .toEqual([]);
  return added;
}

describe("the lab view", () => {
  it("runs the six operations of the seed and the two hard cases, each in the table and the diagram, in both languages", async () => {
    const page = await openLab();
    await runScenario(page, "Authentication", [
      "messi@realm1 > realm1: auth",
      "realm1 > messi@realm1: ERROR",
      "messi@realm1 > realm1: logout",
    ]);
    await runScenario(page, "Inbox", ["henderson@realm1 > realm1: send", "lineker@realm1 > realm1: inbox"]);
    await runScenario(page, "Private chat", ["realm1 > henderson@realm1: message", "henderson@realm1 > realm1: ack"]);
    await runScenario(page, "Group chat", ["messi@realm1 > realm1: group", "realm1 > henderson@realm1: line"]);
    await runScenario(page, "Private chat across realms", ACROSS);
    const diagram = page.getByRole("list", { name: "Sequence diagram" });
    await diagram
      .getByRole("listitem", { name: /^bridge-realm1 to bridge-realm2: batch/ })
      .last()
      .waitFor();
    await runScenario(page, "Group chat across realms", ["realm2 > bridge-realm2: gjoin", "james@realm2 > realm2: say"]);
    await runScenario(page, "A realm goes down", [
      "realm1 > messi@realm1: OK",
      "bridge-realm2 > realm2: batch",
      "jantuar@realm2 > realm2: inbox",
    ]);
    await page.getByRole("button", { name: "Bahasa Indonesia" }).click();
    await runScenario(page, "Dua realm membuat satu grup bersamaan", ["messi@realm1 > realm1: join", "james@realm2 > realm2: join"], "id");
    expect(await page.getByRole("status", { name: "Caption" }).textContent()).toMatch(/grup/);
    expect(said.filter((l) => l.includes("failed"))).toEqual([]);
  }, 240_000);

  it("opens a frame with its whole journey, exports the trace without a secret, and keeps motion off when asked", async () => {
    const page = await openLab();
    await page.emulateMedia({ reducedMotion: "reduce" });
    await runScenario(page, "Private chat across realms", ACROSS);
    const batch = page.getByRole("table", { name: "Frames" }).locator("tbody tr", { hasText: "bridge-realm1bridge-realm2batch" }).last();
    await batch.getByRole("button").click();
    const detail = page.getByRole("region", { name: "Selected frame" });
    expect(await detail.getByLabel("Raw frame").textContent()).toContain('"t":"batch"');
    const journey = await detail.getByRole("list", { name: "Journey" }).getByRole("listitem").allTextContents();
    expect(journey).toEqual(
      expect.arrayContaining([
        "messi@realm1 → realm1: send",
        "realm1 → bridge-realm1: batch",
        "bridge-realm1 → bridge-realm2: batch",
        "realm2 → james@realm2: message",
        "realm1 → messi@realm1: OK",
      ]),
    );
    expect(journey.filter((hop) => hop.endsWith(": auth"))).toEqual([]);
    await page.getByLabel("Follow this conversation").check();
    expect((await rows(page)).length).toBe(journey.length);
    await page.getByLabel("Follow this conversation").uncheck();
    expect(await page.locator(".frame-dot").count()).toBe(1);
    expect(await page.locator(".frame-dot.moving").count()).toBe(0);

    const [jsonl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export JSON lines" }).click()]);
    const trace = await readFile((await jsonl.path()) as string, "utf8");
    expect(trace.trim().split("\n").length).toBeGreaterThan(50);
    for (const secret of ["surabaya", "medan", "moskow", "salah"]) expect(trace).not.toContain(secret);
    const [mermaid] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export Mermaid" }).click()]);
    const diagram = await readFile((await mermaid.path()) as string, "utf8");
    expect(diagram).toMatch(/^sequenceDiagram\n/);
    expect(diagram).toContain("batch: batch realm1→realm2");
  }, 120_000);

  it("shows a cut link, the redials and the queue, then the delivery once the link is back; a paused bridge", async () => {
    const page = await openLab();
    const topologyView = page.getByRole("img", { name: "Topology" });
    await page.getByRole("button", { name: "Cut the bridge link" }).click();
    await expect.poll(() => topologyView.textContent(), { timeout: 10_000 }).toContain("link cut");
    const cutAt = await lastFrame(page);
    const messi = await topology.connect("realm1", "messi", "surabaya");
    const sent = await messi.send("taeno@realm2", "lewat jembatan yang putus");
    expect(sent.queued).toBe(true);
    await page.getByRole("button", { name: "Live" }).click();
    await expect.poll(() => topologyView.textContent(), { timeout: 10_000 }).toMatch(/queue 1/);
    await expect.poll(() => topologyView.textContent(), { timeout: 10_000 }).toMatch(/redial/);
    await page.getByRole("button", { name: "Restore the bridge link" }).click();
    const taeno = await topology.connect("realm2", "taeno", "tokyo");
    let inbox: { text: string }[] = [];
    await expect
      .poll(
        async () => {
          inbox = [...inbox, ...(await taeno.inbox())];
          return inbox.length;
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 500));
    inbox = [...inbox, ...(await taeno.inbox())];
    expect(inbox.map((m) => m.text)).toEqual(["lewat jembatan yang putus"]);
    // The page hears of the delivery later than taeno does (tap, lab server, WebSocket): on a loaded machine, seconds later.
    await expect
      .poll(async () => (await rows(page, cutAt)).filter((r) => r === "bridge-realm1 > bridge-realm2: batch").length, {
        timeout: 15_000,
        message: `no batch between the bridges after the cut; the lab said: ${said.join(" | ")}`,
      })
      .toBeGreaterThan(0);
    await expect.poll(() => topologyView.textContent(), { timeout: 10_000 }).toContain("linked");

    await page.getByRole("button", { name: "Pause bridge-realm2" }).click();
    await expect.poll(() => topologyView.textContent(), { timeout: 10_000 }).toContain("paused");
    await page.getByRole("button", { name: "Resume bridge-realm2" }).click();
    await expect.poll(() => topologyView.textContent(), { timeout: 10_000 }).not.toContain("paused");
  }, 120_000);

  it("draws a message across realms in flight (the README's screenshot)", async () => {
    const page = await openLab();
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await runScenario(page, "Private chat across realms", ACROSS);
    const batch = page.getByRole("table", { name: "Frames" }).locator("tbody tr", { hasText: "bridge-realm1bridge-realm2batch" }).last();
    await batch.getByRole("button").click();
    const count = (await rows(page)).length;
    const all = await rows(page);
    const at = all.lastIndexOf("bridge-realm1 > bridge-realm2: batch");
    await page.getByLabel("Speed").selectOption("0.25");
    // Back to just before the hop between the bridges, then one step: the frame is drawn on its way.
    await page.getByRole("slider", { name: "Position" }).fill(String(await shownBefore(page, count, at)));
    await page.getByRole("button", { name: "Step" }).click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SCREENSHOTS, "lab-view.png") });
  }, 120_000);
});

/** The scrubber's value that leaves the `at`th row of `count` next to be played. */
async function shownBefore(page: Page, count: number, at: number): Promise<number> {
  const max = Number(await page.getByRole("slider", { name: "Position" }).getAttribute("max"));
  return max - (count - at);
}
