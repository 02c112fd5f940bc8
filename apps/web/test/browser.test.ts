import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPassword, startRealmServer, type RunningRealmServer } from "@realmchat/realm-server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveClient } from "@realmchat/cli";
import { DIST, launchChromium, linesOf, loggedIn, requireBuiltClient, SCREENSHOTS, type } from "./browser-support.ts";
import { chatInTerminal } from "./terminal-support.ts";

let browser: Browser;
let server: RunningRealmServer;
let dir: string;
let origin: string;

beforeAll(async () => {
  requireBuiltClient();
  dir = await mkdtemp(join(tmpdir(), "web-e2e-"));
  const passwordHash = await hashPassword("surabaya");
  server = await startRealmServer({
    config: {
      realm: "realm1",
      host: undefined,
      port: undefined,
      users: ["messi", "henderson", "lineker"].map((username) => ({ username, displayName: username, passwordHash })),
      web: { host: "127.0.0.1", port: 0, allowOrigins: [] },
    },
    host: "127.0.0.1",
    port: 0,
    dataDir: join(dir, "data"),
    webClientDir: DIST,
  });
  origin = `http://127.0.0.1:${server.webListener?.port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const open = (user: string, viewport?: { width: number; height: number }): Promise<Page> =>
  loggedIn(browser, origin, user, "surabaya", viewport);

describe("the browser client, in Debian's Chromium", () => {
  it("two users chat privately and in a group; unread counts show; a message holding markup stays text", async () => {
    const messi = await open("messi");
    const henderson = await open("henderson");
    await type(messi, "/msg henderson halo <img src=x onerror=alert(1)> https://example.org/x");
    const nav = henderson.getByRole("navigation", { name: "Conversations" });
    await nav
      .getByRole("button", { name: /@messi/ })
      .getByLabel("1 unread")
      .waitFor();
    await nav.getByRole("button", { name: /@messi/ }).click();
    const line = henderson
      .getByRole("list", { name: "Messages in messi" })
      .getByText("halo <img src=x onerror=alert(1)>", { exact: false });
    await line.waitFor();
    expect(await henderson.locator(".lines img").count()).toBe(0);
    const link = henderson.getByRole("link", { name: "https://example.org/x" });
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer");

    await type(messi, "/join batak");
    await type(henderson, "/join batak");
    await type(messi, "halo gaes");
    await henderson.getByRole("list", { name: "Messages in batak" }).getByText("halo gaes").waitFor();
    await type(henderson, "/me waves");
    await messi.getByRole("list", { name: "Messages in batak" }).getByText("waves").waitFor();
    // Who is in the group, kept up as members come and go.
    const members = messi.getByRole("complementary", { name: "Members" });
    await members.getByText("henderson (online)").waitFor();
    // Ctrl+K: a conversation by part of its name.
    await messi.keyboard.press("Control+k");
    await messi.getByRole("dialog", { name: "Switch conversation" }).getByLabel("Switch to").fill("hend");
    await messi.keyboard.press("Enter");
    await messi.getByRole("heading", { name: "henderson" }).waitFor();
    await messi.keyboard.press("Alt+ArrowDown");
    await messi.getByRole("heading", { name: "#batak" }).waitFor();
    // The README shows the page as this run left it.
    await messi.screenshot({ path: join(SCREENSHOTS, "web-desktop.png") });
    await henderson.context().close();
    await members.getByText("henderson", { exact: true }).waitFor();
    expect(await members.getByText("henderson (online)").count()).toBe(0);
    await messi.context().close();
  }, 60_000);

  it("keeps the session across a reload, and logs out", async () => {
    const page = await open("lineker");
    await type(page, "/join reload-test");
    await page.getByRole("heading", { name: "#reload-test" }).waitFor();
    await page.reload();
    await page
      .getByRole("navigation", { name: "Conversations" })
      .getByRole("button", { name: /#reload-test/ })
      .waitFor();
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await page.reload();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await page.context().close();
  }, 60_000);

  it("says so and reloads when the realm cannot take up the session after a lost link", async () => {
    const page = await (await browser.newContext()).newPage();
    // The test keeps the page's sockets, to drop its link as a network would.
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      const opened: WebSocket[] = [];
      Object.assign(window, { openedSockets: opened });
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          opened.push(this);
        }
      };
    });
    await page.goto(origin);
    await page.getByLabel("User").fill("lineker");
    await page.getByLabel("Password").fill("surabaya");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("navigation", { name: "Conversations" }).waitFor();
    await server.store.sessions.revokeUser("lineker");
    await page.evaluate(() => (window as unknown as { openedSockets: WebSocket[] }).openedSockets.at(-1)?.close());
    await page.getByText(/could not take up your session .*; the page reloads/).waitFor();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await page.context().close();
  }, 60_000);

  it("pages older lines in on scrolling up, the lines in view staying where they were", async () => {
    const messi = await LiveClient.connect({ host: "127.0.0.1", port: server.listener.port });
    await messi.auth("messi", "surabaya");
    await messi.join("long-history");
    for (let i = 0; i < 120; i++) await messi.say("long-history", `line ${i}`);
    const page = await open("lineker");
    await type(page, "/join long-history");
    const lines = linesOf(page, "long-history");
    const said = (n: number) => lines.getByText(new RegExp(`^\\d\\d:\\d\\d messi line ${n}$`));
    await said(119).waitFor();
    // The join shows the newest 50 events: lines 71 to 119, and lineker's own join.
    expect(await said(71).count()).toBe(1);
    expect(await said(70).count()).toBe(0);
    const top = async (n: number): Promise<number> => {
      const [line, list] = await Promise.all([said(n).boundingBox(), lines.boundingBox()]);
      return (line?.y ?? NaN) - (list?.y ?? NaN);
    };
    // Scrolled to the top: where line 71 is then, before the older lines come (the scroll event asks for them after this).
    const before = await lines.evaluate((el) => {
      el.scrollTop = 0;
      const line = [...el.querySelectorAll("li")].find((li) => li.textContent?.endsWith("messi line 71") === true);
      return (line?.getBoundingClientRect().top ?? NaN) - el.getBoundingClientRect().top;
    });
    await said(21).waitFor();
    // Line 71 was at the top of the list; it still is, older lines above it out of view.
    expect(Math.abs((await top(71)) - before)).toBeLessThan(4);
    await lines.evaluate((el) => (el.scrollTop = 0));
    await said(0).waitFor();
    await lines.getByText("messi joined").waitFor();
    // Every line once, in order.
    const texts = await lines.locator("li.message").allTextContents();
    expect(texts.map((t) => t.replace(/^\d\d:\d\d messi /, ""))).toEqual(Array.from({ length: 120 }, (_, i) => `line ${i}`));
    await page.context().close();
    await messi.close();
  }, 60_000);

  it("counts the same unread lines as the terminal client: read in one, read in the other", async () => {
    const page = await open("henderson");
    await type(page, "/join readers");
    const terminal = chatInTerminal(server.listener.port, "henderson", "surabaya");
    terminal.type("/join readers", "/win 1");
    await terminal.shows("in #readers");
    const nav = page.getByRole("navigation", { name: "Conversations" });
    await nav.getByRole("button", { name: /^status/ }).click();
    const messi = await LiveClient.connect({ host: "127.0.0.1", port: server.listener.port });
    await messi.auth("messi", "surabaya");
    await messi.join("readers");
    for (const text of ["one", "two", "three"]) await messi.say("readers", text);
    await nav
      .getByRole("button", { name: /#readers/ })
      .getByLabel("3 unread")
      .waitFor();
    expect(await terminal.windowsUntil((w) => w.includes("#readers("))).toBe("1:status 2:#readers(3)");
    // Read in the browser: read in the terminal.
    await nav.getByRole("button", { name: /#readers/ }).click();
    expect(await terminal.windowsUntil((w) => !w.includes("#readers("))).toBe("1:status 2:#readers");
    await nav.getByRole("button", { name: /^status/ }).click();
    await messi.say("readers", "four");
    await nav
      .getByRole("button", { name: /#readers/ })
      .getByLabel("1 unread")
      .waitFor();
    expect(await terminal.windowsUntil((w) => w.includes("#readers("))).toBe("1:status 2:#readers(1)");
    // Read in the terminal: read in the browser.
    terminal.type("/win 2");
    await nav
      .getByRole("button", { name: /#readers/ })
      .getByLabel("1 unread")
      .waitFor({ state: "detached" });
    // After a reload the page counts from the realm's marker: nothing unread, the lines still there.
    // (The terminal leaves the window first: a line it shows is read, in the browser too.)
    terminal.type("/win 1");
    await page.reload();
    await nav.getByRole("button", { name: /#readers/ }).waitFor();
    await messi.say("readers", "five");
    await nav
      .getByRole("button", { name: /#readers/ })
      .getByLabel("1 unread")
      .waitFor();
    await terminal.quit();
    await page.context().close();
    await messi.close();
  }, 60_000);

  it("refuses the realm's WebSocket to a page of another site (cross-site WebSocket hijacking)", async () => {
    // A page served from another origin, as another site's would be.
    const foreign = createServer((_, response) => response.end("<!doctype html><title>elsewhere</title>"));
    await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
    const page = await (await browser.newContext()).newPage();
    await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
    const tries = (url: string): Promise<string> =>
      page.evaluate(
        (target) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(target);
            ws.onopen = () => resolve("open");
            ws.onerror = () => resolve("refused");
          }),
        url,
      );
    expect(await tries(`${origin.replace("http", "ws")}/live`)).toBe("refused");
    // The realm's own page opens it.
    const own = await open("lineker");
    expect(
      await own.evaluate(
        (target) =>
          new Promise((resolve) => {
            const ws = new WebSocket(target);
            ws.onopen = () => resolve("open");
            ws.onerror = () => resolve("refused");
          }),
        `${origin.replace("http", "ws")}/live`,
      ),
    ).toBe("open");
    await own.context().close();
    await page.context().close();
    await new Promise((resolve) => foreign.close(resolve));
  }, 60_000);

  it("lays the page out in one column below 640 px", async () => {
    const page = await open("messi", { width: 420, height: 800 });
    const nav = await page.getByRole("navigation", { name: "Conversations" }).boundingBox();
    const main = await page.getByRole("main").boundingBox();
    expect(nav !== null && main !== null).toBe(true);
    expect((main?.y ?? 0) >= (nav?.y ?? 0) + (nav?.height ?? 0) - 1).toBe(true);
    expect(Math.abs((main?.width ?? 0) - 420)).toBeLessThan(2);
    await type(page, "/join batak");
    await page.getByRole("list", { name: "Messages in batak" }).getByText("halo gaes").waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "web-mobile.png") });
    await page.context().close();
  }, 60_000);
});
