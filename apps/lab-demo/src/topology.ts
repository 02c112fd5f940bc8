import { ClassicClient } from "@realmchat/cli";
import { NodeProcess } from "./node-process.ts";
import { workspaceBin } from "./workspace-bin.ts";

const REALM_SERVER_BIN = workspaceBin("@realmchat/realm-server", "realm-server");

export interface RealmHandle {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly process: NodeProcess;
}

export interface StartRealmOptions {
  readonly name: string;
  readonly config: string;
  /** Client port; 0 picks a free one; absent means the config file's port. */
  readonly port?: number;
  readonly host?: string;
  readonly extraArgs?: readonly string[];
  readonly onStderr?: (text: string) => void;
}

/**
 * The one harness that tests and the lab demo share: start realm servers (and, with federation,
 * their bridges) as real child processes, connect users, and tear everything down.
 */
export class Topology implements AsyncDisposable {
  readonly realms = new Map<string, RealmHandle>();
  readonly #clients: ClassicClient[] = [];

  async startRealm(options: StartRealmOptions): Promise<RealmHandle> {
    const process = await NodeProcess.start({
      name: options.name,
      script: REALM_SERVER_BIN,
      args: [
        "--config",
        options.config,
        ...(options.host === undefined ? [] : ["--host", options.host]),
        ...(options.port === undefined ? [] : ["--port", String(options.port)]),
        ...(options.extraArgs ?? []),
      ],
      ready: /listening on (\S+:\d+)/,
      ...(options.onStderr === undefined ? {} : { onStderr: options.onStderr }),
    });
    const at = process.readyMatch.lastIndexOf(":");
    const handle = { name: options.name, host: process.readyMatch.slice(0, at), port: Number(process.readyMatch.slice(at + 1)), process };
    this.realms.set(options.name, handle);
    return handle;
  }

  realm(name: string): RealmHandle {
    const handle = this.realms.get(name);
    if (handle === undefined) throw new RangeError(`no realm '${name}' in this topology`);
    return handle;
  }

  /** A client connected to `realm`, logged in as `user`. */
  async connect(realm: string, user: string, password: string): Promise<ClassicClient> {
    const { host, port } = this.realm(realm);
    const client = await ClassicClient.connect({ host, port });
    this.#clients.push(client);
    await client.auth(user, password);
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.#clients.splice(0).map((c) => c.close()));
    await Promise.all([...this.realms.values()].map((r) => r.process.stop()));
    this.realms.clear();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
