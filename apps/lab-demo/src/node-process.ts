import { spawn, type ChildProcess } from "node:child_process";
import { ChildProcessFailedError } from "./errors.ts";

export interface NodeProcessOptions {
  /** Label for logs and errors, e.g. `realm1`. */
  readonly name: string;
  /** The TypeScript entry point (run from source through the workspace condition). */
  readonly script: string;
  readonly args: readonly string[];
  /** Ready once stdout matches; the first capture group is kept as `readyMatch`. */
  readonly ready: RegExp;
  readonly readyTimeoutMs?: number;
  /** Also pass every stderr chunk here (the text is kept either way, see `stderr`). */
  readonly onStderr?: (text: string) => void;
  /** Variables added to this process's environment for the child (secrets stay off its command line). */
  readonly env?: Readonly<Record<string, string>>;
}

const STDERR_KEPT = 1024 * 1024;

/**
 * V8 flags every server process runs with, as the root scripts start them: a young generation
 * of at most 8 MB a half. Left to itself V8 sizes it by the machine's memory and lets it grow to
 * tens of MB under load, which then stays resident: per idle connection 9.4-9.9 KiB of RSS
 * against 2.7-2.8 KiB with the cap, and no throughput lost (docs/design/trust-under-load.md).
 */
const SERVER_NODE_FLAGS = ["--max-semi-space-size=8"] as const;

/** A workspace binary running as its own OS process, on the same Node as this one. */
export class NodeProcess implements AsyncDisposable {
  readonly name: string;
  readonly child: ChildProcess;
  readonly readyMatch: string;
  /** Everything the process printed on stdout up to being ready. */
  readonly readyOutput: string;
  readonly #exited: Promise<number | null>;
  readonly #stderr: { text: string };

  private constructor(
    name: string,
    child: ChildProcess,
    match: RegExpExecArray,
    output: string,
    exited: Promise<number | null>,
    stderr: { text: string },
  ) {
    this.name = name;
    this.child = child;
    this.readyMatch = match[1] ?? match[0];
    this.readyOutput = output;
    this.#exited = exited;
    this.#stderr = stderr;
  }

  static start(options: NodeProcessOptions): Promise<NodeProcess> {
    // TypeScript runs from source, its workspace imports too; built JavaScript imports built JavaScript.
    const source = options.script.endsWith(".ts") ? ["--conditions=@realmchat/source"] : [];
    const child = spawn(process.execPath, [...source, ...SERVER_NODE_FLAGS, options.script, ...options.args], {
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.env === undefined ? {} : { env: { ...process.env, ...options.env } }),
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null))));
    const stderr = { text: "" };
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      stderr.text = (stderr.text + text).slice(-STDERR_KEPT);
      options.onStderr?.(text);
    });
    const timeoutMs = options.readyTimeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new ChildProcessFailedError(options.name, `not ready after ${timeoutMs} ms`, stderr.text));
      }, timeoutMs);
      child.stdout?.setEncoding("utf8");
      const onData = (text: string): void => {
        out += text;
        const match = options.ready.exec(out);
        if (match === null) return;
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        resolve(new NodeProcess(options.name, child, match, out, exited, stderr));
      };
      child.stdout?.on("data", onData);
      exited.then((code) => {
        clearTimeout(timer);
        reject(new ChildProcessFailedError(options.name, `exited with ${code} before it was ready`, stderr.text));
      }, reject);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** What the process has logged on stderr so far (the last MiB). */
  get stderr(): string {
    return this.#stderr.text;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends SIGTERM and waits for a clean exit; SIGKILL if it does not come in time. */
  async stop(timeoutMs = 5000): Promise<number | null> {
    if (!this.running) return this.#exited;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const code = await this.#exited;
    clearTimeout(timer);
    return code;
  }

  /** Kills without warning, as a crash would (kill -9). */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGKILL");
    await this.#exited;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop().then(() => undefined);
  }
}
