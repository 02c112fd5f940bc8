import { TapRecorder } from "./tap-recorder.ts";
import { listenTap } from "./tap-server.ts";
import { tapStream, type TapEnds, type TappableStream } from "./tapped-stream.ts";

/** Where a listener shows each new connection's stream, when the process has something to show it to (the tap). */
export type StreamObserver = (stream: TappableStream, ends: TapEnds) => void;

/** A process's tap, running: what its listeners call for each connection, and the port it is read on. */
export interface ProcessTap {
  readonly observe: StreamObserver;
  readonly port: number;
  close(): Promise<void>;
}

/** Records every frame of the connections `observe` is given and serves them at ws://127.0.0.1:<port>/tap. */
export async function startProcessTap(process: string, port: number): Promise<ProcessTap> {
  const recorder = new TapRecorder({ process });
  const server = await listenTap(recorder, port);
  return {
    observe: (stream, ends) => tapStream(stream, recorder, ends),
    port: server.port,
    close: () => server.close(),
  };
}
