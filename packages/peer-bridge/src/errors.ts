import { ConfigFileError } from "@realmchat/node-runtime";

/** A bridge config file that cannot be read or does not validate. */
export class BridgeConfigError extends ConfigFileError {
  override readonly name = "BridgeConfigError";
}
