import type { LabModel } from "./lab-model.ts";

/** The selected frame, raw, and its whole journey in order. */
export function FrameDetail({ model }: { readonly model: LabModel }) {
  const hop = model.selectedHop.value;
  if (hop === undefined)
    return (
      <section class="detail" aria-label="Selected frame">
        <p class="hint">Click a frame in the diagram or the table to open it and see its whole journey.</p>
      </section>
    );
  const journey = model.hops.value.filter((h) => model.journey.value.has(h.event.n));
  const e = hop.event;
  return (
    <section class="detail" aria-label="Selected frame">
      <h2>
        {hop.from} → {hop.to}: {hop.about.kind}
      </h2>
      <p class="meta">
        recorded by {e.process} ({e.dir}, {e.link}, connection {e.conn}, record {e.seq})
      </p>
      <pre aria-label="Raw frame">{e.frame}</pre>
      <h3>Journey</h3>
      <ol aria-label="Journey">
        {journey.map((h) => (
          <li key={h.event.n}>
            {h.from} → {h.to}: {h.about.kind}
          </li>
        ))}
      </ol>
    </section>
  );
}
