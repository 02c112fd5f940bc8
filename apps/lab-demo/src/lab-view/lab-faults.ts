import type { BridgeHandle, RealmHandle } from "../process-handles.ts";
import type { LinkCutter } from "./link-cutter.ts";

/** What the page can do to the running lab (docs/design/lab-view.md, "Faults"). */
export const LAB_FAULTS = [
  { id: "cut-link", label: { en: "Cut the bridge link", id: "Putuskan tautan jembatan" } },
  { id: "restore-link", label: { en: "Restore the bridge link", id: "Pulihkan tautan jembatan" } },
  { id: "stop-realm2", label: { en: "Stop realm2", id: "Hentikan realm2" } },
  { id: "start-realm2", label: { en: "Start realm2", id: "Jalankan realm2" } },
  { id: "pause-bridge-realm2", label: { en: "Pause bridge-realm2", id: "Jeda bridge-realm2" } },
  { id: "resume-bridge-realm2", label: { en: "Resume bridge-realm2", id: "Lanjutkan bridge-realm2" } },
] as const;

export type LabFaultId = (typeof LAB_FAULTS)[number]["id"];

export const isLabFault = (id: string): id is LabFaultId => LAB_FAULTS.some((f) => f.id === id);

export type ProcessState = "running" | "stopped" | "paused";

/** What the faults act on: the lab's processes, restarted through the topology, and the cutter on the bridges' link. */
export interface FaultTargets {
  readonly cutter: LinkCutter;
  realm(name: string): RealmHandle;
  bridge(name: string): BridgeHandle;
  restartRealm(name: string): Promise<RealmHandle>;
  /** A process came back on a new tap address. */
  reattach(process: string, tapUrl: string): Promise<void>;
}

/** Applies faults and remembers what they left: each process's state and the link's. */
export class LabFaults {
  readonly #targets: FaultTargets;
  readonly processes = new Map<string, ProcessState>();

  constructor(targets: FaultTargets, processes: readonly string[]) {
    this.#targets = targets;
    for (const p of processes) this.processes.set(p, "running");
  }

  get linkCut(): boolean {
    return this.#targets.cutter.isCut;
  }

  async apply(id: LabFaultId): Promise<void> {
    switch (id) {
      case "cut-link":
        return this.#targets.cutter.cut();
      case "restore-link":
        return this.#targets.cutter.restore();
      case "stop-realm2":
        await this.#targets.realm("realm2").process.stop();
        this.processes.set("realm2", "stopped");
        return;
      case "start-realm2": {
        if (this.processes.get("realm2") !== "stopped") return;
        const handle = await this.#targets.restartRealm("realm2");
        this.processes.set("realm2", "running");
        await this.#targets.reattach("realm2", handle.tapUrl as string);
        return;
      }
      case "pause-bridge-realm2":
        this.#signal("realm2", "SIGSTOP");
        this.processes.set("bridge-realm2", "paused");
        return;
      case "resume-bridge-realm2":
        this.#signal("realm2", "SIGCONT");
        this.processes.set("bridge-realm2", "running");
        return;
    }
  }

  /** Lets a paused process run again, so that it can be stopped. */
  release(): void {
    if (this.processes.get("bridge-realm2") === "paused") this.#signal("realm2", "SIGCONT");
  }

  #signal(bridge: string, signal: "SIGSTOP" | "SIGCONT"): void {
    const pid = this.#targets.bridge(bridge).process.pid;
    if (pid !== undefined) process.kill(pid, signal);
  }
}
