import { useEffect, useRef } from "preact/hooks";
import { CATEGORY_COLORS } from "./frame-colors.ts";
import type { LabModel } from "./lab-model.ts";

/** Rows the table keeps on the page: the last frames played (the export has them all). */
const ROWS = 500;

const time = (ts: number): string => {
  const d = new Date(ts);
  const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
};

/** Every frame played as a plain table, for screen readers and for copying; a row's summary opens its frame. */
export function FramesTable({ model }: { readonly model: LabModel }) {
  const rows = model.played.value.slice(-ROWS);
  const journey = model.journey.value;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (el !== null) el.scrollTop = el.scrollHeight;
  }, [rows.length]);
  return (
    <div class="frames" ref={box}>
      <table aria-label="Frames">
        <caption>Frames</caption>
        <thead>
          <tr>
            <th scope="col">time</th>
            <th scope="col">from</th>
            <th scope="col">to</th>
            <th scope="col">kind</th>
            <th scope="col">summary</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((hop) => (
            <tr
              key={hop.event.n}
              data-n={hop.event.n}
              class={`${journey.has(hop.event.n) ? "journey" : ""}${model.selected.value === hop.event.n ? " selected" : ""}`}
              aria-current={model.selected.value === hop.event.n ? "true" : undefined}
            >
              <td>{time(hop.event.ts)}</td>
              <td>{hop.from}</td>
              <td>{hop.to}</td>
              <td>
                <span class="swatch" style={{ background: CATEGORY_COLORS[hop.about.category] }} aria-hidden="true" />
                {hop.about.kind}
              </td>
              <td>
                <button type="button" class="linklike" onClick={() => (model.selected.value = hop.event.n)}>
                  {hop.about.summary}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
