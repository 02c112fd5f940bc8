import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { certificateFingerprint } from "@realmchat/node-runtime";

export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 fingerprint, as a peer pins it. */
  readonly fingerprint: string;
}

/**
 * A self-signed certificate (P-256, two days) made with the `openssl` tool into `dir`, for tests
 * and demos of TLS with pinning: no certificate authority is involved.
 */
export function makeTestCertificate(dir: string, name: string): TestCertificate {
  const cert = join(dir, `${name}.cert.pem`);
  const key = join(dir, `${name}.key.pem`);
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", `/CN=${name}`], {
    stdio: "ignore",
  });
  return { cert, key, fingerprint: certificateFingerprint(readFileSync(cert, "utf8")) };
}
