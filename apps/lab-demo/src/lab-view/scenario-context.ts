import { ClassicClient, LiveClient } from "@realmchat/cli";
import type { LiveEvent } from "@realmchat/protocol";
import type { RealmHandle } from "../process-handles.ts";
import type { LabFaultId } from "./lab-faults.ts";

/** A caption in both of the lab's languages. */
export interface Caption {
  readonly en: string;
  readonly id: string;
}

/** A live client a scenario opened, with everything pushed to it. */
export interface LiveUser {
  readonly client: LiveClient;
  readonly events: LiveEvent[];
}

/** What a scenario may do: open clients, apply faults, and mark its steps. */
export interface ScenarioContext {
  /** Shows `caption`, runs `body`, and leaves the page a moment to draw what it sent. */
  step(caption: Caption, body: () => Promise<void>): Promise<void>;
  classic(realm: string): Promise<ClassicClient>;
  live(realm: string): Promise<LiveUser>;
  fault(id: LabFaultId): Promise<void>;
  /** Waits until `check` holds (a push came, a link is back), or fails the step after `withinMs`. */
  until(what: string, check: () => boolean | Promise<boolean>, withinMs?: number): Promise<void>;
}

export interface ScenarioServices {
  realm(name: string): RealmHandle;
  fault(id: LabFaultId): Promise<void>;
  /** Each step's caption, as it starts. */
  onStep(index: number, caption: Caption): void;
  /** The pause after each step, for the page to play its frames. */
  readonly stepPauseMs: number;
}

/** A step's condition did not come in time. */
export class ScenarioStepError extends Error {
  override readonly name = "ScenarioStepError";
  readonly what: string;
  constructor(what: string, withinMs: number) {
    super(`${what}: not within ${withinMs} ms`);
    this.what = what;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A context whose clients are all closed by `close`. */
export function openScenarioContext(services: ScenarioServices): ScenarioContext & { close(): Promise<void> } {
  const opened: { close(): Promise<void> }[] = [];
  let steps = 0;
  return {
    async step(caption, body) {
      services.onStep(steps++, caption);
      await body();
      await sleep(services.stepPauseMs);
    },
    async classic(realm) {
      const { host, port } = services.realm(realm);
      const client = await ClassicClient.connect({ host, port });
      opened.push(client);
      return client;
    },
    async live(realm) {
      const events: LiveEvent[] = [];
      const client = await LiveClient.connect(services.realm(realm), (e) => events.push(e));
      opened.push(client);
      return { client, events };
    },
    fault: (id) => services.fault(id),
    async until(what, check, withinMs = 15_000) {
      const deadline = Date.now() + withinMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new ScenarioStepError(what, withinMs);
        await sleep(50);
      }
    },
    async close() {
      await Promise.all(opened.splice(0).map((c) => c.close()));
    },
  };
}
