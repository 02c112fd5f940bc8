import { createInterface } from "node:readline/promises";

/** The person at the terminal gave up on the prompt (Ctrl-C). */
export class PromptCancelledError extends Error {
  override readonly name = "PromptCancelledError";
  constructor() {
    super("cancelled");
  }
}

interface TerminalInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** One line from a pipe (a password kept off the command line). */
async function readLine(input: NodeJS.ReadableStream): Promise<string> {
  const rl = createInterface({ input, terminal: false });
  try {
    for await (const line of rl) return line;
    return "";
  } finally {
    rl.close();
  }
}

/** Typed characters, with echo off, up to Enter; Backspace edits, Ctrl-C cancels. */
function readHidden(input: TerminalInput & { setRawMode(mode: boolean): unknown }, output: NodeJS.WritableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (err?: Error): void => {
      input.removeListener("data", onData);
      input.setRawMode(false);
      input.pause();
      output.write("\n");
      if (err === undefined) resolve(typed);
      else reject(err);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish();
        if (ch === "\u0003") return finish(new PromptCancelledError());
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else if (ch >= " ") typed += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on("data", onData);
  });
}

/**
 * Asks for a secret: on a terminal it prints `prompt` and reads with echo off, so the password is
 * neither on screen nor in any history; from a pipe it reads one line without a prompt.
 */
export function promptSecret(
  prompt: string,
  input: TerminalInput = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  if (input.isTTY === true && typeof input.setRawMode === "function") {
    output.write(prompt);
    return readHidden(input as TerminalInput & { setRawMode(mode: boolean): unknown }, output);
  }
  return readLine(input);
}

/** Whether a prompt could be answered by a person: standard input is a terminal. */
export function canPrompt(input: TerminalInput = process.stdin): boolean {
  return input.isTTY === true;
}
