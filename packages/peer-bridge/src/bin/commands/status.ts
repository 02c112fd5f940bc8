import { join } from "node:path";
import { askAdminSocket } from "@realmchat/node-runtime";
import type { Command } from "commander";
import { loadBridgeConfig } from "../../bridge-config.ts";
import { BRIDGE_ADMIN_SOCKET_FILE, describeBridgeStatus, type BridgeAdminReply } from "../../bridge-status.ts";

interface StatusFlags {
  readonly config?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
}

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("ask a running bridge about its links (since when, failed dials, last error) and its queues")
    .option("-c, --config <file>", "its config (its data folder is then ./data/bridge-<realm>)")
    .option("-d, --data-dir <dir>", "its data folder (as given to run)")
    .option("--json", "print the status as JSON")
    .action(async (flags: StatusFlags) => {
      const dataDir =
        flags.dataDir ?? (flags.config === undefined ? undefined : join("data", `bridge-${(await loadBridgeConfig(flags.config)).realm}`));
      if (dataDir === undefined) throw new Error("say which bridge: --data-dir <dir> or --config <file>");
      const reply = (await askAdminSocket(join(dataDir, BRIDGE_ADMIN_SOCKET_FILE), "bridge", { op: "status" })) as BridgeAdminReply;
      if (!reply.ok) throw new Error(reply.message);
      process.stdout.write(flags.json === true ? JSON.stringify(reply.status) + "\n" : describeBridgeStatus(reply.status));
    });
}
