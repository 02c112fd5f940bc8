import type { RealmLimits } from "../limits.ts";
import type { RealmMeter } from "../metrics/realm-meter.ts";

/** Counts open client connections, in all and per address, and says whether one more may open. */
export class ConnectionGate {
  readonly #limits: Pick<RealmLimits, "maxConnections" | "maxConnectionsPerAddress">;
  readonly #byAddress = new Map<string, number>();
  #total = 0;
  /** Connections refused since the last look (for logs). */
  refused = 0;

  readonly #meter: Pick<RealmMeter, "refusedConnections">;

  constructor(limits: Pick<RealmLimits, "maxConnections" | "maxConnectionsPerAddress">, meter: Pick<RealmMeter, "refusedConnections">) {
    this.#limits = limits;
    this.#meter = meter;
  }

  /** Takes a place for a connection from `address`, or answers false when the limits are reached. */
  admit(address: string): boolean {
    const held = this.#byAddress.get(address) ?? 0;
    if (this.#total >= this.#limits.maxConnections || held >= this.#limits.maxConnectionsPerAddress) {
      this.refused++;
      this.#meter.refusedConnections++;
      return false;
    }
    this.#byAddress.set(address, held + 1);
    this.#total++;
    return true;
  }

  release(address: string): void {
    const held = this.#byAddress.get(address) ?? 0;
    if (held <= 1) this.#byAddress.delete(address);
    else this.#byAddress.set(address, held - 1);
    this.#total--;
  }
}
