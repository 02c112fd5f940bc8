import { decodeTapMessage, tapEventsOf, type TapEvent, type TapWireError } from "@realmchat/protocol";
import { WebSocket } from "ws";

/** One message from a tap, one event per frame, and how many records the process left out before it; or what is wrong with it. */
export function tapEventsIn(text: string): { readonly events: TapEvent[]; readonly dropped: number } | TapWireError {
  const message = decodeTapMessage(text);
  return "records" in message ? { events: message.records.flatMap(tapEventsOf), dropped: message.dropped } : message;
}

/**
 * Reads the taps of several processes (ws://127.0.0.1:<port>/tap) and hands on each message as it
 * comes. A process that stops closes its tap; `attach` is called again
 * with its new address once it is back.
 */
export class TapCollector {
  readonly #readers = new Map<string, WebSocket>();
  readonly #onMessage: (data: Buffer, process: string) => void;

  /** `onMessage` is given each message as it came (tapEventsIn reads its text). */
  constructor(onMessage: (data: Buffer, process: string) => void) {
    this.#onMessage = onMessage;
  }

  /**
   * Starts reading `process`'s tap (in place of any earlier reader of it); resolves once it is open.
   * `alsoReads` names the other processes whose taps this collector reads: what they send this one,
   * it records as arrivals, without the frames (docs/design/tap.md, "Arrivals").
   */
  attach(process: string, url: string, alsoReads: readonly string[] = []): Promise<void> {
    this.#readers.get(process)?.terminate();
    const ws = new WebSocket(alsoReads.length === 0 ? url : `${url}?with=${alsoReads.map(encodeURIComponent).join(",")}`);
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
