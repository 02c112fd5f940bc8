import type { TapEvent } from "@realmchat/protocol/tap";

/** One frame as the lab server sends it: a tap event and its place in the whole trace. */
export interface LabEvent extends TapEvent {
  readonly n: number;
}

/** The four processes of the lab, left to right as the page draws them. */
export const LAB_PROCESSES = ["realm1", "bridge-realm1", "bridge-realm2", "realm2"] as const;
export type LabProcess = (typeof LAB_PROCESSES)[number];

export const isLabProcess = (name: string): name is LabProcess => (LAB_PROCESSES as readonly string[]).includes(name);

/** A caption in both of the lab's languages. */
export interface Caption {
  readonly en: string;
  readonly id: string;
}

export type Language = keyof Caption;

export type ProcessState = "running" | "stopped" | "paused";

export interface ScenarioState {
  readonly id: string;
  readonly step: number;
  readonly caption: Caption | undefined;
  readonly status: "running" | "done" | "failed";
  readonly error?: string;
}

/** What the lab server says about the running lab (lab-demo's lab-view.ts). */
export interface LabState {
  readonly processes: Readonly<Record<string, ProcessState>>;
  readonly linkCut: boolean;
  readonly scenario: ScenarioState | undefined;
}

export interface LabChoice {
  readonly id: string;
  readonly title?: Caption;
  readonly label?: Caption;
}
