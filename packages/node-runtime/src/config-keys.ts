/**
 * The keys a config file may hold, as data: the parsers refuse any key not listed here
 * (`ConfigReader.only(value, keysOf(TABLE), …)`), and the operator's reference in
 * docs/operating.md is rendered from the same tables, so the two cannot drift apart.
 */
export interface ConfigKey {
  /** What the value is, for a reader: `string`, `port 0..65535`, `object`, `array of objects`. */
  readonly type: string;
  readonly doc: string;
  readonly required?: true;
  /** What applies when the key is absent. */
  readonly default?: string;
  /** The keys of an object value, or of each object in an array value. */
  readonly keys?: ConfigKeys;
}

export type ConfigKeys = Readonly<Record<string, ConfigKey>>;

export function keysOf(table: ConfigKeys): readonly string[] {
  return Object.keys(table);
}

/** `cert` and `key` of any `tls` object. */
export const TLS_FILES_KEYS = {
  cert: { type: "path", required: true, doc: "the certificate, PEM (relative paths: from the folder the process runs in)" },
  key: { type: "path", required: true, doc: "its private key, PEM, readable by the process only" },
} as const satisfies ConfigKeys;

export const METRICS_KEYS = {
  host: {
    type: "address",
    default: "127.0.0.1",
    doc: "where /metrics, /healthz and /readyz listen (loopback: they say much about traffic)",
  },
  port: { type: "port 0..65535", required: true, doc: "their port; 0 picks a free one" },
} as const satisfies ConfigKeys;

const cell = (text: string): string => text.replaceAll("|", "\\|");

/**
 * A Markdown table of every key of `table`, nested keys as dotted paths (`federation.tls.cert`;
 * `peers[].secret` for the objects of an array).
 */
export function renderConfigReference(table: ConfigKeys): string {
  const rows: string[] = ["| key | type | required / default | meaning |", "|---|---|---|---|"];
  const walk = (keys: ConfigKeys, prefix: string): void => {
    for (const [name, key] of Object.entries(keys)) {
      const path = `${prefix}${name}`;
      const need = key.required === true ? "required" : key.default === undefined ? "optional" : `default: ${key.default}`;
      rows.push(`| \`${path}\` | ${cell(key.type)} | ${cell(need)} | ${cell(key.doc)} |`);
      if (key.keys !== undefined) walk(key.keys, key.type.startsWith("array") ? `${path}[].` : `${path}.`);
    }
  };
  walk(table, "");
  return rows.join("\n") + "\n";
}
