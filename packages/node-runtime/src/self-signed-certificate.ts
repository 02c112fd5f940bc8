import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { certificateFingerprint } from "./tls-identity.ts";

export interface SelfSignedCertificate {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 fingerprint, as a peer pins it. */
  readonly fingerprint: string;
}

/**
 * A self-signed certificate (P-256) made with the `openssl` tool into `dir`, for TLS with a
 * pinned fingerprint (no certificate authority involved): tests make short-lived ones.
 */
export function makeSelfSignedCertificate(dir: string, name: string, days = 2): SelfSignedCertificate {
  const cert = join(dir, `${name}.cert.pem`);
  const key = join(dir, `${name}.key.pem`);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      String(days),
      "-subj",
      `/CN=${name}`,
    ],
    {
      stdio: "ignore",
    },
  );
  return { cert, key, fingerprint: certificateFingerprint(readFileSync(cert, "utf8")) };
}
