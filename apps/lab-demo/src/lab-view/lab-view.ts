import type { Topology } from "../topology.ts";
import { isLabFault, LAB_FAULTS, LabFaults } from "./lab-faults.ts";
import { LAB_SCENARIOS } from "./lab-scenarios.ts";
import { listenLab, type LabMessage, type LabServer } from "./lab-server.ts";
import { LabTrace } from "./lab-trace.ts";
import type { LinkCutter } from "./link-cutter.ts";
import { openScenarioContext, type Caption } from "./scenario-context.ts";
import { TapCollector, tapEventsIn } from "./tap-collector.ts";

export interface LabViewOptions {
  /** 8800 in the demo; 0 picks a free port. */
  readonly port: number;
  /** The built page (apps/lab-view/dist). */
  readonly pageDir: string;
  /** How long each scenario step leaves the page to play its frames. */
  readonly stepPauseMs: number;
  /** Where the lab reports what goes wrong (a tap it cannot read, a scenario that failed). */
  readonly say: (line: string) => void;
}

export interface RunningLabView {
  readonly url: string;
  close(): Promise<void>;
}

/** The scenario running or last run, as the page shows it. */
interface ScenarioState {
  readonly id: string;
  readonly step: number;
  readonly caption: Caption | undefined;
  readonly status: "running" | "done" | "failed";
  readonly error?: string;
}

const PROCESSES = ["realm1", "bridge-realm1", "bridge-realm2", "realm2"] as const;

/** The taps the lab reads besides `process`'s: each frame between two of them is recorded with its frames once, by its sender. */
const otherProcesses = (process: string): string[] => PROCESSES.filter((p) => p !== process);

/**
 * The lab view (docs/design/lab-view.md): reads the taps of the demo's four processes, keeps the
 * trace, serves the page, and runs the scenarios and faults the page asks for.
 */
export async function startLabView(topology: Topology, cutter: LinkCutter, options: LabViewOptions): Promise<RunningLabView> {
  let server: LabServer | undefined;
  let scenario: ScenarioState | undefined;
  let running: Promise<void> = Promise.resolve();
  const trace = new LabTrace((events) => server?.broadcast({ type: "events", events }));
  const collector = new TapCollector((data, process) => {
    const message = tapEventsIn(data.toString("utf8"));
    if ("kind" in message) return options.say(`lab view: ${process}'s tap sent ${message.kind} at ${message.at}; message skipped`);
    if (message.dropped > 0) options.say(`lab view: ${process} left out ${message.dropped} records while the lab was behind`);
    trace.add(message.events);
  });
  for (const name of PROCESSES) {
    const handle = name.startsWith("bridge-") ? topology.bridge(name.slice("bridge-".length)) : topology.realm(name);
    await collector.attach(name, handle.tapUrl as string, otherProcesses(name));
  }
  const faults = new LabFaults(
    {
      cutter,
      realm: (name) => topology.realm(name),
      bridge: (name) => topology.bridge(name),
      restartRealm: (name) => topology.restartRealm(name),
      reattach: (process, url) => collector.attach(process, url, otherProcesses(process)),
    },
    PROCESSES,
  );
  const state = (): LabMessage => ({
    type: "state",
    processes: Object.fromEntries(faults.processes),
    linkCut: faults.linkCut,
    scenario,
  });
  const publish = (): void => server?.broadcast(state());
  const runScenario = async (id: string): Promise<void> => {
    const plan = LAB_SCENARIOS.find((s) => s.id === id);
    if (plan === undefined) return;
    const context = openScenarioContext({
      realm: (name) => topology.realm(name),
      fault: async (fault) => {
        await faults.apply(fault);
        publish();
      },
      onStep: (step, caption) => {
        scenario = { id, step, caption, status: "running" };
        publish();
      },
      stepPauseMs: options.stepPauseMs,
    });
    try {
      await plan.run(context);
      scenario = { ...(scenario ?? { id, step: 0, caption: undefined }), status: "done" };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      options.say(`lab view: scenario ${id} failed: ${error}`);
      scenario = { ...(scenario ?? { id, step: 0, caption: undefined }), status: "failed", error };
    } finally {
      await context.close();
      publish();
    }
  };
  const act = (kind: "scenario" | "fault", id: string): number => {
    if (kind === "scenario" ? !LAB_SCENARIOS.some((s) => s.id === id) : !isLabFault(id)) return 404;
    if (scenario?.status === "running") return 409;
    if (kind === "scenario") {
      scenario = { id, step: 0, caption: undefined, status: "running" };
      running = runScenario(id);
    } else if (isLabFault(id)) {
      running = faults.apply(id).then(publish, (err: unknown) => {
        options.say(`lab view: fault ${id} failed: ${err instanceof Error ? err.message : String(err)}`);
        publish();
      });
    }
    publish();
    return 202;
  };
  server = await listenLab({
    port: options.port,
    pageDir: options.pageDir,
    // The page's server logs only what failed, and the demo's terminal is where that is read.
    logger: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message, fields) => options.say(`lab view: ${message} ${JSON.stringify(fields ?? {})}`),
      error: (message, fields) => options.say(`lab view: ${message} ${JSON.stringify(fields ?? {})}`),
    },
    actions: {
      snapshot: () => ({
        ...state(),
        type: "hello",
        scenarios: LAB_SCENARIOS.map((s) => ({ id: s.id, title: s.title })),
        faults: LAB_FAULTS,
        events: trace.all,
      }),
      act,
    },
  });
  const lab = server;
  return {
    url: lab.url,
    async close() {
      await running;
      faults.release();
      collector.close();
      await lab.close();
    },
  };
}
