/** A bridge config file that cannot be read or does not validate. */
export class BridgeConfigError extends Error {
  override readonly name = "BridgeConfigError";
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(`${path}: ${message}`, options);
    this.path = path;
  }
}
