import { CATEGORY_COLORS } from "./frame-colors.ts";
import { isLabProcess, LAB_PROCESSES } from "./lab-event.ts";
import type { LabModel } from "./lab-model.ts";
import type { Hop } from "./trace-model.ts";

/** Arrows the diagram shows: the last frames played. */
const ROWS = 24;
const ROW = 26;
const TOP = 40;

/** One lane per process, and one per client beside its realm: realm1's on the left, realm2's on the right. */
function lanesOf(hops: readonly Hop[]): string[] {
  const left: string[] = [];
  const right: string[] = [];
  for (const hop of hops)
    for (const end of [hop.from, hop.to]) {
      if (isLabProcess(end) || left.includes(end) || right.includes(end)) continue;
      (hop.event.process === "realm2" ? right : left).push(end);
    }
  return [...left, ...LAB_PROCESSES, ...right];
}

/** A sequence diagram of the frames played, one lane per process and client; click an arrow to open its frame. */
export function SequenceView({ model }: { readonly model: LabModel }) {
  const lanes = lanesOf(model.hops.value);
  const laneWidth = 130;
  const width = Math.max(lanes.length * laneWidth, 600);
  const x = (lane: string): number => lanes.indexOf(lane) * laneWidth + laneWidth / 2;
  const rows = model.played.value.slice(-ROWS);
  const journey = model.journey.value;
  const height = TOP + ROWS * ROW + 10;
  return (
    <svg class="sequence" viewBox={`0 0 ${width} ${height}`} role="list" aria-label="Sequence diagram">
      {lanes.map((lane) => (
        <g key={lane} class="lane" aria-hidden="true">
          <text x={x(lane)} y={20} text-anchor="middle">
            {lane.length > 18 ? `${lane.slice(0, 17)}…` : lane}
          </text>
          <line x1={x(lane)} y1={28} x2={x(lane)} y2={height} />
        </g>
      ))}
      {rows.map((hop, i) => {
        const y = TOP + i * ROW + 16;
        const x1 = x(hop.from);
        const x2 = x(hop.to);
        const dir = x2 >= x1 ? 1 : -1;
        const color = CATEGORY_COLORS[hop.about.category];
        const selected = model.selected.value === hop.event.n;
        return (
          <g
            key={hop.event.n}
            role="listitem"
            aria-label={`${hop.from} to ${hop.to}: ${hop.about.kind}, ${hop.about.summary}`}
            class={`arrow${journey.has(hop.event.n) ? " journey" : ""}${selected ? " selected" : ""}`}
            onClick={() => (model.selected.value = hop.event.n)}
          >
            <line x1={x1} y1={y} x2={x2 - dir * 6} y2={y} stroke={color} />
            <polygon points={`${x2},${y} ${x2 - dir * 8},${y - 4} ${x2 - dir * 8},${y + 4}`} fill={color} />
            <text x={(x1 + x2) / 2} y={y - 4} text-anchor="middle">
              {`${hop.about.kind}: ${hop.about.summary}`.slice(0, Math.max(12, Math.abs(x2 - x1) / 6.5))}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
