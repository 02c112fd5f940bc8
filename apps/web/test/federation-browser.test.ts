import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClassicClient } from "@realmchat/cli";
import { DEMO_CONFIG_DIR, demoRealms, Topology, untilFederated } from "lab-demo";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIST, launchChromium, linesOf, loggedIn, requireBuiltClient, type } from "./browser-support.ts";
import { chatInTerminal } from "./terminal-support.ts";

let browser: Browser;
let topology: Topology;
let dir: string;

beforeAll(async () => {
  requireBuiltClient();
  dir = await mkdtemp(join(tmpdir(), "web-federation-"));
  topology = new Topology();
  // The demo's own configs (with their web listeners), every port picked by the OS.
  await topology.startFederation(demoRealms(DEMO_CONFIG_DIR), {
    anyPort: true,
    dataRoot: join(dir, "data"),
    realmArgs: ["--web-client", DIST],
  });
  await untilFederated(topology, { realm: "realm1", user: "lineker", password: "surabaya" }, "james@realm2");
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await topology?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("the browser client across realms", () => {
  it("users on two realms chat privately and in one group with a seed classic client, everyone seeing the same lines", async () => {
    const realm1 = topology.realm("realm1").webUrl as string;
    const realm2 = topology.realm("realm2").webUrl as string;
    expect(realm1).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const messi = await loggedIn(browser, realm1, "messi", "surabaya");
    const james = await loggedIn(browser, realm2, "james", "medan");

    await type(messi, "/msg james@realm2 Halo, apa kabar, james?");
    await james
      .getByRole("navigation", { name: "Conversations" })
      .getByRole("button", { name: /@messi@realm1/ })
      .click();
    await linesOf(james, "messi@realm1").getByText("Halo, apa kabar, james?").waitFor();
    await type(james, "baik, terima kasih!");
    await messi
      .getByRole("navigation", { name: "Conversations" })
      .getByRole("button", { name: /@james@realm2/ })
      .click();
    await linesOf(messi, "james@realm2").getByText("baik, terima kasih!").waitFor();

    // A group homed on realm1, with the seed's classic client of henderson in it too.
    await type(messi, "/join batak");
    await type(james, "/join batak@realm1");
    const classic: ClassicClient = await topology.connect("realm1", "henderson", "surabaya");
    const heard: string[] = [];
    await classic.joinGroup("batak", (line) => heard.push(line));
    // And lineker in the terminal client, on realm1 too.
    const terminal = chatInTerminal(topology.realm("realm1").port, "lineker", "surabaya");
    terminal.type("/join batak");
    await terminal.shows("in #batak");
    await linesOf(james, "batak@realm1").getByText("lineker@realm1 joined").waitFor();
    await type(james, "halo gaes");
    await linesOf(messi, "batak").getByText("halo gaes").waitFor();
    classic.say("dari terminal");
    await linesOf(james, "batak@realm1").getByText("dari terminal").waitFor();
    await linesOf(messi, "batak").getByText("dari terminal").waitFor();
    expect(heard).toContain("james@realm2: halo gaes");
    await terminal.shows("james@realm2: halo gaes");
    await terminal.shows("henderson: dari terminal");
    terminal.type("dari cli");
    await linesOf(james, "batak@realm1").getByText("dari cli").waitFor();
    await linesOf(messi, "batak").getByText("dari cli").waitFor();
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toContain("lineker: dari cli");
    await terminal.quit();
    // Each line once in every page.
    expect(await linesOf(messi, "batak").getByText("halo gaes").count()).toBe(1);
    expect(await linesOf(james, "batak@realm1").getByText("dari terminal").count()).toBe(1);

    // realm1 killed and started again under the open pages: they take up their sessions and the
    // group, and what was said or sent meanwhile shows once, nothing twice.
    await classic.close();
    topology.realm("realm1").process.child.kill("SIGKILL");
    await messi.getByRole("status").getByText("connection lost; reconnecting…").waitFor();
    // Typed while the link is down: it waits, and goes once when the link is back.
    await type(messi, "typed while the link was down");
    await linesOf(messi, "batak").getByText("waiting for the connection to send: typed while the link was down").waitFor();
    await type(james, "/msg messi@realm1 while you were away");
    await topology.restartRealm("realm1");
    await messi.getByRole("status").getByText("connected").waitFor({ timeout: 30_000 });
    await messi
      .getByRole("navigation", { name: "Conversations" })
      .getByRole("button", { name: /@james@realm2/ })
      .click();
    await linesOf(messi, "james@realm2").getByText("while you were away").waitFor({ timeout: 30_000 });
    await messi
      .getByRole("navigation", { name: "Conversations" })
      .getByRole("button", { name: /#batak/ })
      .click();
    await type(messi, "back again");
    await linesOf(messi, "batak").getByText("back again").waitFor({ timeout: 10_000 });
    await linesOf(messi, "batak").getByText("back again").waitFor();
    await james
      .getByRole("navigation", { name: "Conversations" })
      .getByRole("button", { name: /#batak@realm1/ })
      .click();
    await linesOf(james, "batak@realm1").getByText("back again").waitFor({ timeout: 30_000 });
    for (const [page, title] of [
      [messi, "batak"],
      [james, "batak@realm1"],
    ] as const) {
      expect(await linesOf(page, title).getByText("halo gaes").count()).toBe(1);
      expect(await linesOf(page, title).getByText("back again").count()).toBe(1);
      expect(
        await linesOf(page, title)
          .getByText(/^\d\d:\d\d messi(@realm1)? typed while the link was down$/)
          .count(),
      ).toBe(1);
    }
    await messi
      .getByRole("navigation", { name: "Conversations" })
      .getByRole("button", { name: /@james@realm2/ })
      .click();
    expect(await linesOf(messi, "james@realm2").getByText("baik, terima kasih!").count()).toBe(1);
    expect(await linesOf(messi, "james@realm2").getByText("while you were away").count()).toBe(1);
  }, 90_000);
});
