import type { LabModel } from "./lab-model.ts";
import { FRAME_MS } from "./lab-model.ts";
import { CATEGORY_COLORS } from "./frame-colors.ts";
import { isLabProcess, LAB_PROCESSES } from "./lab-event.ts";
import { bridgeQueues, type Hop } from "./trace-model.ts";

const WIDTH = 960;
const HEIGHT = 230;
const MIDDLE = 110;
const PROCESS_X: Readonly<Record<string, number>> = { realm1: 250, "bridge-realm1": 410, "bridge-realm2": 570, realm2: 730 };

interface Point {
  readonly x: number;
  readonly y: number;
}

/** Where each client is drawn: realm1's on the left, realm2's on the right, one under another. */
function clientPlaces(hops: readonly Hop[]): Map<string, { readonly at: Point; readonly realm: string }> {
  const places = new Map<string, { at: Point; realm: string }>();
  const count = { realm1: 0, realm2: 0 };
  for (const hop of hops) {
    for (const end of [hop.from, hop.to]) {
      if (isLabProcess(end) || places.has(end)) continue;
      const realm = hop.event.process === "realm2" ? "realm2" : "realm1";
      const i = count[realm]++;
      places.set(end, { at: { x: realm === "realm1" ? 80 : 880, y: 30 + ((i * 58) % (HEIGHT - 60)) }, realm });
    }
  }
  return places;
}

/** Hellos bridge-realm1 sent to its peer since the link last came up: its redials while the link is cut. */
function redials(played: readonly Hop[]): number {
  let count = 0;
  for (const hop of played) {
    if (hop.from !== "bridge-realm1" || hop.to !== "bridge-realm2") continue;
    if (hop.about.kind === "welcome" || hop.about.kind === "batch") count = 0;
    else if (hop.about.kind === "hello") count++;
  }
  return count;
}

/** The lab's processes, their clients and links, each frame drawn travelling along its link as it is played. */
export function TopologyView({ model, reducedMotion }: { readonly model: LabModel; readonly reducedMotion: boolean }) {
  const hops = model.hops.value;
  const clients = clientPlaces(hops);
  const state = model.state.value;
  const played = model.played.value;
  const current = model.current.value;
  const journey = model.journey.value;
  const queues = bridgeQueues(model.queueMarks.value, model.cursor.value);
  const place = (end: string): Point =>
    isLabProcess(end) ? { x: PROCESS_X[end] as number, y: MIDDLE } : (clients.get(end)?.at ?? { x: 0, y: 0 });
  const onJourney = (a: string, b: string): boolean =>
    played.some((h) => journey.has(h.event.n) && ((h.from === a && h.to === b) || (h.from === b && h.to === a)));
  const links: [string, string][] = [
    ["realm1", "bridge-realm1"],
    ["bridge-realm1", "bridge-realm2"],
    ["bridge-realm2", "realm2"],
    ...[...clients].map(([name, c]): [string, string] => [name, c.realm]),
  ];
  const waitMs = FRAME_MS / model.speed.value;
  const dot =
    current === undefined
      ? undefined
      : { from: place(current.from), to: place(current.to), color: CATEGORY_COLORS[current.about.category] };
  const redialing = redials(played);
  return (
    <svg class="topology" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Topology">
      {links.map(([a, b]) => {
        const from = place(a);
        const to = place(b);
        const cut = a === "bridge-realm1" && b === "bridge-realm2" && state.linkCut;
        return (
          <line
            key={`${a}-${b}`}
            x1={from.x}
            y1={from.y}
            x2={to.x}
            y2={to.y}
            class={`link${cut ? " cut" : ""}${onJourney(a, b) ? " journey" : ""}`}
          />
        );
      })}
      <text x={490} y={MIDDLE - 34} class="link-note" text-anchor="middle">
        {state.linkCut ? `link cut${redialing > 0 ? `, ${redialing} redial${redialing === 1 ? "" : "s"}` : ""}` : "linked"}
      </text>
      {LAB_PROCESSES.map((name) => {
        const x = PROCESS_X[name] as number;
        const status = state.processes[name] ?? "running";
        const queue = queues.get(name);
        return (
          <g key={name} class={`process ${status}`}>
            <rect x={x - 62} y={MIDDLE - 26} width={124} height={52} rx={8} />
            <text x={x} y={MIDDLE - 2} text-anchor="middle">
              {name}
            </text>
            <text x={x} y={MIDDLE + 16} text-anchor="middle" class="process-note">
              {status !== "running" ? status : queue === undefined ? "" : `queue ${queue}`}
            </text>
          </g>
        );
      })}
      {[...clients].map(([name, c]) => (
        <g key={name} class="client">
          <circle cx={c.at.x} cy={c.at.y} r={16} />
          <text x={c.at.x} y={c.at.y + 30} text-anchor="middle">
            {name.length > 22 ? `${name.slice(0, 21)}…` : name}
          </text>
        </g>
      ))}
      {dot === undefined || current === undefined ? null : (
        <circle
          key={current.event.n}
          class={reducedMotion ? "frame-dot" : "frame-dot moving"}
          r={8}
          fill={dot.color}
          cx={dot.to.x}
          cy={dot.to.y}
          style={{
            "--dx": `${dot.from.x - dot.to.x}px`,
            "--dy": `${dot.from.y - dot.to.y}px`,
            "--travel": `${Math.round(waitMs * 0.8)}ms`,
          }}
        />
      )}
    </svg>
  );
}
