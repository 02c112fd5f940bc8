import type { LabEvent } from "./lab-event.ts";
import type { Hop } from "./trace-model.ts";

/** The recorded trace as JSON lines, one frame each, as the taps reported them. */
export function traceAsJsonLines(events: readonly LabEvent[]): string {
  return events.map((e) => `${JSON.stringify(e)}\n`).join("");
}

/** Text a Mermaid message may hold: no line breaks, and `;` and `#` written as entities (Mermaid's escape). */
function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/#/g, "#35;")
    .replace(/;/g, "#59;");
}

/**
 * The hops as a Mermaid sequence diagram, one participant per end in order of appearance, for a
 * student's report. Participants get plain ids (`p1`, `p2`, …): names like `messi@realm1` are
 * their aliases.
 */
export function traceAsMermaid(hops: readonly Hop[]): string {
  const ids = new Map<string, string>();
  const participant = (name: string): string => {
    let id = ids.get(name);
    if (id === undefined) {
      id = `p${ids.size + 1}`;
      ids.set(name, id);
    }
    return id;
  };
  const lines: string[] = [];
  for (const hop of hops) {
    const arrow = hop.about.category === "reply" || hop.about.category === "ack" ? "-->>" : "->>";
    lines.push(`  ${participant(hop.from)}${arrow}${participant(hop.to)}: ${mermaidText(`${hop.about.kind}: ${hop.about.summary}`)}`);
  }
  const declared = [...ids].map(([name, id]) => `  participant ${id} as ${mermaidText(name)}`);
  return ["sequenceDiagram", ...declared, ...lines].join("\n") + "\n";
}
