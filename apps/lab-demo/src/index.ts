export {
  Topology,
  type RealmHandle,
  type StartRealmOptions,
  type BridgeHandle,
  type StartBridgeOptions,
  type FederatedRealmSpec,
} from "./topology.ts";
export { NodeProcess, type NodeProcessOptions } from "./node-process.ts";
export { runTour, type TourPlan, type TourUser, type TourResult, type Say } from "./tour.ts";
export { runLabDemo, DEFAULT_LAB_DEMO_OPTIONS, type LabDemoOptions } from "./lab-demo.ts";
export { DEMO_CONFIG_DIR, DEMO_DATA_DIR, SEED_TOUR, demoRealms } from "./demo-config.ts";
export { ChildProcessFailedError, TourStepFailedError } from "./errors.ts";
export { workspaceBin } from "./workspace-bin.ts";
export { writeFederationConfigs, type RealmSpec, type RealmUserSpec, type ConfigWriterOptions } from "./topology-config.ts";
export { untilFederated } from "./federation-ready.ts";
export { runChaos, type ChaosOptions, type ChaosReport } from "./chaos/chaos-run.ts";
export { startLabView, type LabViewOptions, type RunningLabView } from "./lab-view/lab-view.ts";
export { LinkCutter } from "./lab-view/link-cutter.ts";
export { LAB_SCENARIOS, type LabScenario } from "./lab-view/lab-scenarios.ts";
