import type { ServerAddress } from "@realmchat/cli";
import type { Topology } from "../topology.ts";

export interface AttackContext {
  readonly topology: Topology;
  readonly realm1: ServerAddress;
  readonly realm2: ServerAddress;
  /** Every user's password in the abuse topology. */
  readonly password: string;
}

export interface AttackOutcome {
  /** Whether the servers held the attacker to the limits (or, for an outage, answered in time). */
  readonly limited: boolean;
  /** The attacker's connections still open at the end. */
  readonly held: number;
  /** What was measured, in a few words. */
  readonly note: string;
}

export interface Attack {
  readonly name: string;
  run(context: AttackContext): Promise<AttackOutcome>;
}
