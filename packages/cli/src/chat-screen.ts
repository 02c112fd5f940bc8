import { clearScreenDown, createInterface, cursorTo, moveCursor, type Completer, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { ChatWindows } from "./chat-windows.ts";
import { MutableOutput } from "./muted-output.ts";

export interface ChatScreenOptions {
  readonly input: Readable;
  readonly output: Writable & { readonly isTTY?: boolean; readonly columns?: number; readonly rows?: number };
  /** A real terminal: windows, a status line above the input line, keys. Otherwise every line is printed as it comes. */
  readonly terminal: boolean;
  /** The input line's prompt, asked for each time it is drawn. */
  readonly prompt: () => string;
  /** The status line's own part (who, away), shown before the windows. */
  readonly status: () => string;
  readonly completer: Completer;
}

const BELL = "\u0007";

/**
 * The interactive client's screen, on Node's readline (a line editor with history and Tab
 * completion): on a terminal the window shown fills the screen, a status line sits above the
 * input line, Alt-1..9 switch windows, and a line for a window not shown counts as unread there.
 * readline's own cursor helpers draw it; nothing else writes escape codes.
 */
export class ChatScreen {
  readonly windows = new ChatWindows();
  readonly rl: Interface;
  readonly #options: ChatScreenOptions;
  readonly #echo: MutableOutput;
  /** Whether the status line and the input line are on the screen's last two rows now. */
  #drawn = false;
  #closed = false;

  constructor(options: ChatScreenOptions) {
    this.#options = options;
    this.#echo = new MutableOutput(options.output);
    this.rl = createInterface({
      input: options.input,
      output: this.#echo,
      terminal: options.terminal,
      historySize: 500,
      completer: options.completer,
    });
    this.rl.on("close", () => (this.#closed = true));
    if (options.terminal) {
      options.input.on("keypress", (_text: string | undefined, key: { readonly name?: string; readonly meta?: boolean } | undefined) => {
        // Alt-1..9 show windows 1..9, Alt-0 the tenth.
        if (key?.meta === true && key.name !== undefined && /^[0-9]$/.test(key.name)) this.show(key.name === "0" ? 10 : Number(key.name));
      });
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  #statusText(): string {
    const own = this.#options.status();
    return `${own === "" ? "" : `${own} `}${this.windows.statusLine()}`;
  }

  /** Erases the status and input lines, to write above them. */
  #lift(): void {
    if (!this.#drawn) return;
    const out = this.#options.output;
    moveCursor(out, 0, -1);
    cursorTo(out, 0);
    clearScreenDown(out);
    this.#drawn = false;
  }

  /** Draws the status line and the input line (keeping what is being typed). */
  #land(): void {
    if (this.#closed) return;
    const out = this.#options.output;
    out.write(this.#statusText() + "\n");
    this.rl.setPrompt(this.#options.prompt());
    this.rl.prompt(true);
    this.#drawn = true;
  }

  /** A line for window `key`: shown now if that window is, else counted as unread there. */
  add(key: string, line: string, mention = false, ts?: number, counted = true): void {
    const shown = this.windows.add(key, line, mention, ts, counted);
    const out = this.#options.output;
    if (!this.#options.terminal) {
      out.write(line + "\n");
      return;
    }
    const wasDrawn = this.#drawn;
    this.#lift();
    if (shown) out.write(line + "\n");
    else if (mention) out.write(BELL);
    if (wasDrawn) this.#land();
  }

  /** The answer to something typed: in the window shown. */
  say(line: string): void {
    this.add(this.windows.current.key, line);
  }

  /** Shows the input line (and on a terminal the status line above it). */
  prompt(): void {
    if (this.#closed) return;
    if (!this.#options.terminal) {
      this.rl.setPrompt(this.#options.prompt());
      this.rl.prompt();
      return;
    }
    this.#lift();
    this.#land();
  }

  /**
   * Enter was pressed: the typed line leaves the screen (what it does shows in the window, as in
   * irssi), and the old status line with it.
   */
  entered(line: string): void {
    if (!this.#options.terminal || !this.#drawn) return;
    const columns = this.#options.output.columns ?? 80;
    const rows = Math.floor((this.#options.prompt().length + line.length) / columns) + 1;
    const out = this.#options.output;
    moveCursor(out, 0, -(rows + 1));
    cursorTo(out, 0);
    clearScreenDown(out);
    this.#drawn = false;
  }

  /** Shows window `n` (1-based), redrawing the screen with its latest lines. */
  show(n: number): boolean {
    if (!this.windows.show(n)) return false;
    this.redraw();
    return true;
  }

  /** Shows the window for `key`, made if there is none. */
  showKey(key: string): void {
    this.windows.open(key);
    this.show(this.windows.numberOf(key) as number);
  }

  redraw(): void {
    if (!this.#options.terminal || this.#closed) return;
    const out = this.#options.output;
    cursorTo(out, 0, 0);
    clearScreenDown(out);
    const rows = Math.max(1, (this.#options.output.rows ?? 24) - 2);
    for (const line of this.windows.current.lines.slice(-rows)) out.write(line + "\n");
    this.#drawn = false;
    this.#land();
  }

  /** Reads the next typed line with echo off on a terminal (a password); it stays out of the history. */
  async readSecret(lines: AsyncIterator<string>, prompt: string): Promise<string | undefined> {
    const terminal = this.#options.terminal;
    if (terminal) {
      this.#lift();
      this.#options.output.write(prompt);
    }
    this.#echo.muted = terminal;
    try {
      const next = await lines.next();
      return next.done === true ? undefined : next.value;
    } finally {
      this.#echo.muted = false;
      if (terminal) {
        // The question goes; what the password does shows in the window.
        cursorTo(this.#options.output, 0);
        clearScreenDown(this.#options.output);
        this.forgetLastLine();
      }
    }
  }

  /** The line just read held a password: it leaves readline's history. */
  forgetLastLine(): void {
    const history = (this.rl as unknown as { history?: string[] }).history;
    if (history !== undefined && history.length > 0) history.shift();
  }

  close(): void {
    this.rl.close();
  }
}
