/** A child process of the topology exited or never became ready. */
export class ChildProcessFailedError extends Error {
  override readonly name = "ChildProcessFailedError";
  readonly process: string;
  readonly stderr: string;
  constructor(processName: string, message: string, stderr: string) {
    super(`${processName}: ${message}${stderr ? `\n--- stderr of ${processName} ---\n${stderr}` : ""}`);
    this.process = processName;
    this.stderr = stderr;
  }
}

/** A step of the demo tour did not get the answer it expected. */
export class TourStepFailedError extends Error {
  override readonly name = "TourStepFailedError";
  readonly step: string;
  constructor(step: string, message: string, options?: { cause?: unknown }) {
    super(`${step}: ${message}`, options);
    this.step = step;
  }
}

/** A workspace binary that should have been built (`pnpm build`) is not there. */
export class NotBuiltError extends Error {
  override readonly name = "NotBuiltError";
  readonly path: string;
  constructor(path: string, hint: string) {
    super(`${path} is not built: ${hint}`);
    this.path = path;
  }
}
