import type { LiveEvent } from "@realmchat/protocol";
import { LiveClient } from "./live-client.ts";
import { formatServerAddress, type ServerAddress } from "./server-address.ts";

/** The servers of one realm (its instances), tried in turn, starting with the last one that answered. */
export class ServerRotation {
  readonly #addresses: readonly ServerAddress[];
  #next = 0;
  /** The server connected to last (the first one before any connection). */
  where: string;

  constructor(addresses: readonly ServerAddress[]) {
    this.#addresses = addresses;
    this.where = formatServerAddress(addresses[0] as ServerAddress);
  }

  /** A live connection to the first server that answers; the last failure if none does. */
  async connect(onEvent: (event: LiveEvent) => void): Promise<LiveClient> {
    const addresses = this.#addresses;
    let failure: unknown;
    for (let i = 0; i < addresses.length; i++) {
      const at = (this.#next + i) % addresses.length;
      const address = addresses[at] as ServerAddress;
      try {
        const client = await LiveClient.connect(address, onEvent);
        this.#next = at;
        this.where = formatServerAddress(address);
        return client;
      } catch (err) {
        failure = err;
      }
    }
    throw failure;
  }
}
