import { connect } from "node:net";
import { SeededRandom } from "../chaos/seeded-random.ts";

/** A port to fuzz and well-formed lines of its protocol to mutate. */
export interface FuzzTarget {
  readonly name: string;
  readonly port: number;
  readonly seeds: readonly string[];
}

export interface FuzzOptions {
  /** Connections in all, each sending one generated input. */
  readonly connections: number;
  /** Connections open at once. */
  readonly parallel: number;
  readonly seed: number;
}

export interface FuzzReport {
  readonly target: string;
  readonly connections: number;
  readonly bytes: number;
  /** Connections the server closed on its own (refused input), as opposed to ones we ended. */
  readonly closedByServer: number;
}

type Generator = (rng: SeededRandom, seeds: readonly string[]) => Buffer;

function randomBytes(rng: SeededRandom, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = rng.between(0, 255);
  return out;
}

/** Input shapes: noise, mutated valid lines, oversized lines, odd framing, odd UTF-8. */
const GENERATORS: readonly Generator[] = [
  (rng) => randomBytes(rng, rng.between(0, 2048)),
  (rng, seeds) => {
    const line = Buffer.from(rng.pick(seeds));
    for (let i = rng.between(1, 8); i > 0; i--) line[rng.between(0, line.length - 1)] = rng.between(0, 255);
    return line;
  },
  (rng, seeds) => Buffer.from(rng.pick(seeds).slice(0, rng.between(0, rng.pick(seeds).length))),
  (rng, seeds) => Buffer.from(Array.from({ length: rng.between(1, 50) }, () => rng.pick(seeds)).join("")),
  (rng) => Buffer.alloc(rng.between(65_000, 300_000), rng.pick([0x41, 0x7b, 0x20])),
  (rng) => Buffer.from("\n\r\n".repeat(rng.between(1, 5000))),
  (rng, seeds) =>
    Buffer.concat([Buffer.from(rng.pick(seeds).trimEnd()), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from("\n")]),
  (rng, seeds) => Buffer.from(rng.pick(seeds).replace(/"[^"]*"/, () => JSON.stringify("x".repeat(rng.between(0, 70_000))))),
  (rng) => {
    const op = rng.pick(["auth", "send", "join", "hello", "say", "inbox", "ack"]);
    const field = rng.pick(["to", "group", "v", "limit", "upTo"]);
    const value = rng.pick(["null", "[]", "{}", "-1", "1e309", '"@"', '"a@b@c"']);
    return Buffer.from(`{"id":${rng.between(0, 9)},"op":"${op}","${field}":${value}}\n`);
  },
];

/** Sends one generated input, sometimes a byte at a time, then ends; resolves once closed. */
function fuzzOne(port: number, input: Buffer, dribble: boolean): Promise<{ bytes: number; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let closedByServer = true;
    const end = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, 300);
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(end);
      resolve({ bytes: input.length, closedByServer });
    });
    socket.on("connect", () => {
      if (!dribble) socket.write(input);
      else for (let i = 0; i < Math.min(input.length, 64); i++) socket.write(input.subarray(i, i + 1));
    });
  });
}

/** Throws bounded, seeded garbage at one port; the caller checks the servers afterwards. */
export async function fuzzPort(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const rng = new SeededRandom(options.seed);
  let next = 0;
  let bytes = 0;
  let closedByServer = 0;
  const worker = async (): Promise<void> => {
    while (next < options.connections) {
      next++;
      const input = rng.pick(GENERATORS)(rng, target.seeds);
      const result = await fuzzOne(target.port, input, rng.next() < 0.1);
      bytes += result.bytes;
      if (result.closedByServer) closedByServer++;
    }
  };
  await Promise.all(Array.from({ length: options.parallel }, worker));
  return { target: target.name, connections: options.connections, bytes, closedByServer };
}

/** Well-formed lines of each protocol, for the mutating generators. */
export const SEEDS = {
  classic: [
    "auth messi surabaya\r\n",
    "send 0f0f messi hi there\r\n",
    "inbox abc\r\n",
    "group abc batak origin \r\n",
    "logout abc\r\n",
    "halo gaes",
    "exit",
  ],
  live: [
    '{"id":1,"op":"hello","v":2}\n',
    '{"id":2,"op":"auth","user":"messi","password":"surabaya"}\n',
    '{"id":3,"op":"send","to":"james@realm2","text":"hi"}\n',
    '{"id":4,"op":"join","group":"batak"}\n',
  ],
  federation: [
    '{"t":"hello","v":2,"realm":"realm2","nonce":"nnnnnnnnnnnnnnnnnnnnnnnn"}\n',
    '{"t":"prove","proof":"xx"}\n',
    '{"t":"dm","id":"1","origin":"realm2","to":"realm1","from":"james","fromName":"J","user":"messi","text":"hi","sentAt":1}\n',
    '{"t":"ping","ts":1}\n',
  ],
} as const;
