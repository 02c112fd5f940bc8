/** One chat client of a system under test, as the comparison benchmark drives it. */
export interface BenchClient {
  /** A private line to `to` (an address as this client's server knows it); no reply awaited. */
  sendPrivate(to: string, text: string): void;
  /** A line to a group the client is in. */
  say(group: string, text: string): void;
  join(group: string): Promise<void>;
  /** Called with the text of every private or group line that reaches this client. */
  onText: (text: string) => void;
  close(): void;
}

/** Two linked servers (two realms with their bridges, or two linked IRC servers), started for a run. */
export interface BenchSystem {
  readonly name: string;
  /** Connects and logs in user number `user` on server `server` (0 or 1). */
  connect(user: number, server: 0 | 1): Promise<BenchClient>;
  /** How a client on server `from` addresses user `user` of server `server`. */
  addressOf(user: number, server: 0 | 1, from: 0 | 1): string;
  /** The group every workload uses, as a client on `server` names it. */
  groupOn(server: 0 | 1): string;
  /** Requests the servers refused so far (a refused line is also missing at its receivers), where the protocol says so. */
  refusedRequests?(): number;
  /** Every process of the system, by name (for CPU time and memory). */
  pids(): ReadonlyMap<string, number>;
  stop(): Promise<void>;
}
