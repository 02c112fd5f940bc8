import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const DIST = fileURLToPath(new URL("../dist", import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL("../../../docs/screenshots", import.meta.url));
/** Debian's Chromium, installed by the project's scripts (.ci/run); never a downloaded browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function requireBuiltClient(): void {
  if (!existsSync(join(DIST, "index.html"))) throw new Error(`no built client at ${DIST}: run the web package's build first`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A page of `url` logged in as `user`, as a person does it: the form, by its labels. */
export async function loggedIn(
  browser: Browser,
  url: string,
  user: string,
  password: string,
  viewport = { width: 1100, height: 700 },
): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(url);
  await page.getByLabel("User").fill(user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("navigation", { name: "Conversations" }).waitFor();
  return page;
}

/** Types a line into the message box and sends it. */
export async function type(page: Page, line: string): Promise<void> {
  const box = page.getByLabel("Message", { exact: true });
  await box.fill(line);
  await box.press("Enter");
}

/** The lines shown in a conversation (its list is labelled "Messages in <title>"). */
export const linesOf = (page: Page, title: string) => page.getByRole("list", { name: `Messages in ${title}`, exact: true });
