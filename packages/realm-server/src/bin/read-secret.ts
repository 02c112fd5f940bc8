import { createInterface } from "node:readline/promises";

/** Reads one line from stdin (a password kept off the command line). */
export async function readSecretLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of rl) return line;
    return "";
  } finally {
    rl.close();
  }
}
