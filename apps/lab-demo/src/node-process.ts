import { spawn, type ChildProcess } from "node:child_process";
import { ChildProcessFailedError } from "./errors.ts";

export interface NodeProcessOptions {
  /** Label for logs and errors, e.g. `realm1`. */
  readonly name: string;
  /** The TypeScript entry point (run from source through the workspace condition). */
  readonly script: string;
  readonly args: readonly string[];
  /** Resolves once a stdout line matches; its first capture group is handed back. */
  readonly ready: RegExp;
  readonly readyTimeoutMs?: number;
  /** Where the child's stderr goes; by default it is kept and shown if the child fails. */
  readonly onStderr?: (text: string) => void;
}

/** A workspace binary running as its own OS process, on the same Node as this one. */
export class NodeProcess implements AsyncDisposable {
  readonly name: string;
  readonly child: ChildProcess;
  readonly readyMatch: string;
  #exited: Promise<number | null>;

  private constructor(name: string, child: ChildProcess, readyMatch: string, exited: Promise<number | null>) {
    this.name = name;
    this.child = child;
    this.readyMatch = readyMatch;
    this.#exited = exited;
  }

  static start(options: NodeProcessOptions): Promise<NodeProcess> {
    const child = spawn(process.execPath, ["--conditions=@realmchat/source", options.script, ...options.args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null))));
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      if (options.onStderr) options.onStderr(text);
      else stderr = (stderr + text).slice(-4000);
    });
    return new Promise((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new ChildProcessFailedError(options.name, `not ready after ${options.readyTimeoutMs ?? 15_000} ms`, stderr));
      }, options.readyTimeoutMs ?? 15_000);
      child.stdout?.setEncoding("utf8");
      const onData = (text: string): void => {
        out += text;
        const match = options.ready.exec(out);
        if (match === null) return;
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        resolve(new NodeProcess(options.name, child, match[1] ?? match[0], exited));
      };
      child.stdout?.on("data", onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new ChildProcessFailedError(options.name, `exited with ${code} before it was ready`, stderr));
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends SIGTERM and waits for a clean exit; SIGKILL if it does not come in time. */
  async stop(timeoutMs = 5000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.#exited;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const code = await this.#exited;
    clearTimeout(timer);
    return code;
  }

  /** Kills without warning, as a crash would. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGKILL");
    await this.#exited;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop().then(() => undefined);
  }
}
