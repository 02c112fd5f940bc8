import { decodeTapMessage, tapEventsOf, type TapEvent } from "@realmchat/protocol";
import { TapMessageError } from "../errors.ts";
import { WebSocket } from "ws";

/** One message from a tap, one event per frame, and how many records the process left out before it. */
export function parseTapMessage(text: string): { readonly events: TapEvent[]; readonly dropped: number } {
  const message = decodeTapMessage(text);
  if (!("records" in message)) throw new TapMessageError(message);
  return { events: message.records.flatMap(tapEventsOf), dropped: message.dropped };
}

/**
 * Reads the taps of several processes (ws://127.0.0.1:<port>/tap) and hands on each message as it
 * comes. A process that stops closes its tap; `attach` is called again
 * with its new address once it is back.
 */
export class TapCollector {
  readonly #readers = new Map<string, WebSocket>();
  readonly #onMessage: (data: Buffer, process: string) => void;

  /** `onMessage` is given each message as it came (parseTapMessage reads its text). */
  constructor(onMessage: (data: Buffer, process: string) => void) {
    this.#onMessage = onMessage;
  }

  /** Starts reading `process`'s tap (in place of any earlier reader of it); resolves once it is open. */
  attach(process: string, url: string): Promise<void> {
    this.#readers.get(process)?.terminate();
    const ws = new WebSocket(url);
    this.#readers.set(process, ws);
    ws.on("message", (data: Buffer) => this.#onMessage(data, process));
    return new Promise((resolve, reject) => {
      ws.once("open", () => {
        ws.off("error", reject);
        ws.on("error", () => ws.terminate());
        resolve();
      });
      ws.once("error", reject);
    });
  }

  close(): void {
    for (const ws of this.#readers.values()) ws.terminate();
    this.#readers.clear();
  }
}
