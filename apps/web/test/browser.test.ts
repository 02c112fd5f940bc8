import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPassword, startRealmServer, type RunningRealmServer } from "@realmchat/realm-server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIST, launchChromium, loggedIn, requireBuiltClient, SCREENSHOTS, type } from "./browser-support.ts";

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
