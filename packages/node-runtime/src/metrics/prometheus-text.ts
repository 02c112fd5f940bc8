/** One sample of a scrape: its metric name, labels and value. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A scrape read back: each metric family's type and help, and every sample in order. */
export interface Scrape {
  readonly types: ReadonlyMap<string, string>;
  readonly help: ReadonlyMap<string, string>;
  readonly samples: readonly MetricSample[];
}

export class PrometheusTextError extends Error {
  override readonly name = "PrometheusTextError";
  readonly code = "PROMETHEUS_TEXT";
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

const TYPES = ["counter", "gauge", "histogram", "summary", "untyped"] as const;
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Values as Prometheus reads them (Go's ParseFloat: the special ones in any case; prom-client writes `Nan`). */
function parseValue(text: string, line: number): number {
  const special = text.toLowerCase();
  if (special === "+inf" || special === "inf") return Infinity;
  if (special === "-inf") return -Infinity;
  if (special === "nan") return NaN;
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new PrometheusTextError(line, `'${text}' is not a sample value`);
  return value;
}

/** Reads `{a="x",b="y"}` starting at `at` (the brace); returns the labels and where they end. */
function parseLabels(text: string, at: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = at + 1;
  while (text[i] !== "}") {
    const eq = text.indexOf("=", i);
    if (eq < 0) throw new PrometheusTextError(line, "a label without '='");
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new PrometheusTextError(line, `'${name}' is not a label name`);
    if (text[eq + 1] !== '"') throw new PrometheusTextError(line, `label ${name}'s value is not quoted`);
    let value = "";
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === "\\") {
        const next = text[++j];
        value += next === "n" ? "\n" : (next ?? "");
      } else value += text[j];
    }
    if (j >= text.length) throw new PrometheusTextError(line, `label ${name}'s value is not closed`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ",") i++;
    else if (text[i] !== "}") throw new PrometheusTextError(line, "labels not separated by ','");
  }
  return { labels, end: i + 1 };
}

/**
 * Reads Prometheus text exposition format 0.0.4 strictly (what a scraper would refuse throws a
 * PrometheusTextError with its line), so a test can check what the metrics listener serves.
 */
export function parsePrometheusText(text: string): Scrape {
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: MetricSample[] = [];
  const lines = text.split("\n");
  if (lines.at(-1) !== "") throw new PrometheusTextError(lines.length, "the text must end with a line break");
  lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw === "") return;
    if (raw.startsWith("#")) {
      const [, keyword, name, ...rest] = raw.split(" ");
      if (keyword !== "TYPE" && keyword !== "HELP") return;
      if (name === undefined || !NAME.test(name)) throw new PrometheusTextError(line, `'${name ?? ""}' is not a metric name`);
      if (keyword === "HELP") help.set(name, rest.join(" "));
      else {
        const type = rest.join(" ");
        if (!(TYPES as readonly string[]).includes(type)) throw new PrometheusTextError(line, `'${type}' is not a metric type`);
        if (types.has(name)) throw new PrometheusTextError(line, `a second TYPE for ${name}`);
        types.set(name, type);
      }
      return;
    }
    const brace = raw.indexOf("{");
    const space = raw.indexOf(" ");
    const nameEnd = brace >= 0 && (space < 0 || brace < space) ? brace : space;
    if (nameEnd <= 0) throw new PrometheusTextError(line, "a sample needs a name and a value");
    const name = raw.slice(0, nameEnd);
    if (!NAME.test(name)) throw new PrometheusTextError(line, `'${name}' is not a metric name`);
    const { labels, end } = nameEnd === brace ? parseLabels(raw, brace, line) : { labels: {}, end: nameEnd };
    if (raw[end] !== " ") throw new PrometheusTextError(line, "no space before the value");
    const [value, timestamp, extra] = raw.slice(end + 1).split(" ");
    if (extra !== undefined || (timestamp !== undefined && !/^-?\d+$/.test(timestamp)))
      throw new PrometheusTextError(line, "after the value only a timestamp in milliseconds may follow");
    samples.push({ name, labels, value: parseValue(value ?? "", line) });
  });
  return { types, help, samples };
}

/** The value of the one sample named `name` whose labels include `labels`; undefined if none, an error if several. */
export function sampleValue(scrape: Scrape, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const found = scrape.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
