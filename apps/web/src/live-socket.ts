import { decodeLiveServerFrame, type LiveEvent, type LiveOp, type LiveRequestFields, type LiveResult } from "@realmchat/protocol/live";

export type LinkState = "connecting" | "open" | "down";

/** A refusal from the realm, with its wire code (docs/protocol.md, "Classic replies"). */
export class RequestRefused extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "RequestRefused";
    this.code = code;
  }
}

/** The link went down before the realm answered: the request may or may not have been served. */
export class LinkLost extends Error {
  constructor() {
    super("the connection to the realm was lost");
    this.name = "LinkLost";
  }
}

interface Waiting {
  readonly resolve: (result: unknown) => void;
  readonly reject: (err: Error) => void;
  /** Sent again after a lost link instead of failing: a send or say with a client id, which the realm takes once. */
  readonly resend: Queued | undefined;
}

export interface RequestOptions {
  readonly resend?: boolean;
}

interface Queued {
  readonly frame: string;
  readonly id: number;
}

export interface LiveSocketHooks {
  onEvent(event: LiveEvent): void;
  onState(state: LinkState): void;
  /** The link is open again after being down: the session is taken up again here. */
  onReopen(): Promise<void>;
}

/** Longest wait between two tries to reconnect. */
const MAX_BACKOFF_MS = 10_000;
/** Requests that may wait for the link (typed while it was down); more are refused at once. */
const MAX_QUEUED = 200;

/**
 * The browser's end of the live protocol over WebSocket: requests matched to replies by id,
 * events handed on as they come, and a link that comes back by itself with back-off. Requests
 * made while the link is down wait (at most MAX_QUEUED) and are sent once, in order, when it is
 * back and the session has been taken up again.
 */
export class LiveSocket {
  readonly #url: string;
  readonly #hooks: LiveSocketHooks;
  readonly #waiting = new Map<number, Waiting>();
  #queued: Queued[] = [];
  #ws: WebSocket | undefined;
  #next = 1;
  #backoff = 250;
  #ready = false;
  #everOpen = false;

  constructor(url: string, hooks: LiveSocketHooks) {
    this.#url = url;
    this.#hooks = hooks;
  }

  /** Connects; resolves once the link is open the first time. */
  start(): Promise<void> {
    return new Promise((resolve) => this.#connect(resolve));
  }

  request<K extends LiveOp>(op: K, fields: LiveRequestFields<K>, options: RequestOptions = {}): Promise<LiveResult<K>> {
    const id = this.#next++;
    const frame = JSON.stringify({ id, op, ...fields });
    return new Promise<LiveResult<K>>((resolve, reject) => {
      this.#waiting.set(id, {
        resolve: resolve as (result: unknown) => void,
        reject,
        resend: options.resend === true ? { frame, id } : undefined,
      });
      if (this.#ready && this.#ws !== undefined) this.#ws.send(frame);
      else if (this.#queued.length < MAX_QUEUED) this.#queued.push({ frame, id });
      else {
        this.#waiting.delete(id);
        reject(new RequestRefused("QUEUE_FULL", "too many messages are waiting for the connection; wait until it is back"));
      }
    });
  }

  /** A request made on the link as it is now, even before the session is taken up again (resume itself). */
  requestNow<K extends LiveOp>(op: K, fields: LiveRequestFields<K>): Promise<LiveResult<K>> {
    const id = this.#next++;
    return new Promise<LiveResult<K>>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (result: unknown) => void, reject, resend: undefined });
      this.#ws?.send(JSON.stringify({ id, op, ...fields }));
    });
  }

  #connect(opened?: () => void): void {
    this.#hooks.onState("connecting");
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    ws.addEventListener("open", () => {
      this.#backoff = 250;
      const reopened = this.#everOpen;
      this.#everOpen = true;
      opened?.();
      if (!reopened) return this.#open();
      // A later link: the session first, then what waited.
      this.#hooks.onReopen().then(
        () => this.#open(),
        () => this.#open(),
      );
    });
    ws.addEventListener("message", (message: MessageEvent<string>) => this.#onFrame(message.data));
    ws.addEventListener("close", () => this.#onClose(ws));
  }

  #open(): void {
    this.#ready = true;
    this.#hooks.onState("open");
    const queued = this.#queued;
    this.#queued = [];
    for (const q of queued) this.#ws?.send(q.frame);
  }

  #onFrame(text: string): void {
    const frame = decodeLiveServerFrame(text);
    switch (frame.kind) {
      case "event":
        this.#hooks.onEvent(frame.event);
        return;
      case "ok":
      case "error": {
        const waiting = frame.re === null ? undefined : this.#waiting.get(Number(frame.re));
        if (waiting === undefined) return;
        this.#waiting.delete(Number(frame.re));
        if (frame.kind === "ok") waiting.resolve(frame.body);
        else waiting.reject(new RequestRefused(frame.code, frame.message));
        return;
      }
      case "invalid":
        return;
    }
  }

  #onClose(ws: WebSocket): void {
    if (this.#ws !== ws) return;
    this.#ready = false;
    this.#ws = undefined;
    // Sent and unanswered: a send with a client id goes again, first, once the link is back (the realm
    // stores it once); any other request fails, its caller told (the outbox keeps what was not sent).
    const queued = new Set(this.#queued.map((q) => q.id));
    const again: Queued[] = [];
    for (const [id, waiting] of this.#waiting) {
      if (queued.has(id)) continue;
      if (waiting.resend !== undefined) {
        again.push(waiting.resend);
        continue;
      }
      this.#waiting.delete(id);
      waiting.reject(new LinkLost());
    }
    this.#queued = [...again, ...this.#queued];
    this.#hooks.onState("down");
    const wait = this.#backoff / 2 + Math.random() * (this.#backoff / 2);
    this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
    setTimeout(() => this.#connect(), wait);
  }
}
