import { computed, signal } from "@preact/signals";
import type { LabChoice, LabEvent, LabState, Language } from "./lab-event.ts";
import { ClientNames, hopsOf, journeyOf, passesFilter, queueMarkOf, type Hop, type QueueMark } from "./trace-model.ts";

/** Playback speeds the page offers; at 1× a frame every FRAME_MS. */
export const SPEEDS = [0.1, 0.25, 0.5, 1] as const;
export const FRAME_MS = 400;

/** What the lab server sends (lab-demo's lab-server.ts). */
type ServerMessage =
  | ({ readonly type: "hello"; readonly events: LabEvent[]; readonly scenarios: LabChoice[]; readonly faults: LabChoice[] } & LabState)
  | ({ readonly type: "state" } & LabState)
  | { readonly type: "events"; readonly events: LabEvent[] };

/**
 * The lab page's state (docs/design/lab-view.md): the trace as it comes, the playback over it
 * (a cursor on frame numbers, so a filter change keeps the place), the selection, and what the
 * server says of the running lab.
 */
export class LabModel {
  readonly events = signal<readonly LabEvent[]>([]);
  readonly state = signal<LabState>({ processes: {}, linkCut: false, scenario: undefined });
  readonly scenarios = signal<readonly LabChoice[]>([]);
  readonly faults = signal<readonly LabChoice[]>([]);
  readonly connected = signal(false);
  readonly language = signal<Language>("en");
  /** The number of the last frame played; frames after it are still to come. */
  readonly cursor = signal(-1);
  readonly playing = signal(true);
  readonly speed = signal<number>(1);
  readonly hideHeartbeats = signal(true);
  readonly hidePresence = signal(true);
  readonly followConversation = signal(false);
  readonly selected = signal<number | undefined>(undefined);
  #names = new ClientNames();
  /** The frames that change a bridge's queue, for the drawing's queue depths. */
  readonly queueMarks = signal<readonly QueueMark[]>([]);
  /** Every hop, each frame once, in the order recorded. */
  readonly hops = signal<readonly Hop[]>([]);

  readonly selectedHop = computed(() => this.hops.value.find((h) => h.event.n === this.selected.value));
  readonly journey = computed(() => {
    const hop = this.selectedHop.value;
    return hop === undefined ? new Set<number>() : journeyOf(hop, this.hops.value);
  });

  /** The hops the filters let through. */
  readonly shown = computed(() => {
    const filter = { hideHeartbeats: this.hideHeartbeats.value, hidePresence: this.hidePresence.value };
    const journey = this.journey.value;
    const follow = this.followConversation.value && journey.size > 0;
    return this.hops.value.filter((h) => passesFilter(h, filter) && (!follow || journey.has(h.event.n)));
  });

  /** The shown hops played so far. */
  readonly played = computed(() => {
    const cursor = this.cursor.value;
    return this.shown.value.filter((h) => h.event.n <= cursor);
  });

  readonly current = computed(() => this.played.value.at(-1));

  take(message: ServerMessage): void {
    if (message.type === "hello") {
      this.scenarios.value = message.scenarios;
      this.faults.value = message.faults;
      this.#names = new ClientNames();
      this.hops.value = [];
      this.events.value = [];
      this.queueMarks.value = [];
      this.#add(message.events);
      // A page opened on a running lab starts at the present; the scrubber goes back.
      this.cursor.value = message.events.at(-1)?.n ?? -1;
    }
    if (message.type === "events") this.#add(message.events);
    else this.state.value = { processes: message.processes, linkCut: message.linkCut, scenario: message.scenario };
  }

  #add(events: readonly LabEvent[]): void {
    if (events.length === 0) return;
    this.events.value = [...this.events.value, ...events];
    this.hops.value = [...this.hops.value, ...hopsOf(events, this.#names)];
    const marks = events.map(queueMarkOf).filter((m): m is QueueMark => m !== undefined);
    if (marks.length > 0) this.queueMarks.value = [...this.queueMarks.value, ...marks];
  }

  /** Plays the next shown frame; false if there is none yet. */
  step(): boolean {
    const next = this.shown.value.find((h) => h.event.n > this.cursor.value);
    if (next === undefined) return false;
    this.cursor.value = next.event.n;
    return true;
  }

  /** Moves the playback to just after the `count`th shown frame (the scrubber). */
  seek(count: number): void {
    const shown = this.shown.value;
    this.cursor.value = count <= 0 ? (shown[0]?.event.n ?? 0) - 1 : (shown[Math.min(count, shown.length) - 1]?.event.n ?? -1);
  }
}

/** Reads the lab server's `/events` into `model`, and opens it again when it drops. */
export function connectLab(model: LabModel, url: string): void {
  const socket = new WebSocket(url);
  socket.onopen = () => (model.connected.value = true);
  socket.onmessage = (message: MessageEvent<string>) => model.take(JSON.parse(message.data) as ServerMessage);
  socket.onclose = () => {
    model.connected.value = false;
    setTimeout(() => connectLab(model, url), 1000);
  };
}

/** Asks the lab server to run a scenario or apply a fault. */
export async function act(kind: "scenario" | "fault", id: string): Promise<number> {
  const response = await fetch(`/api/${kind}/${id}`, { method: "POST" });
  return response.status;
}
