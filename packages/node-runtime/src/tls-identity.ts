import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { connect, type TLSSocket } from "node:tls";

/** Where a TLS certificate and its private key are (PEM files). */
export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
}

/** A certificate and key as PEM text, ready for `tls.createServer`. */
export interface TlsIdentity {
  readonly cert: string;
  readonly key: string;
}

export async function loadTlsIdentity(files: TlsFiles): Promise<TlsIdentity> {
  const [cert, key] = await Promise.all([readFile(files.cert, "utf8"), readFile(files.key, "utf8")]);
  return { cert, key };
}

const TEST_CERTIFICATE =
  "make a test certificate with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 " +
  "-subj /CN=localhost -keyout key.pem -out cert.pem`";

/**
 * For a `check` command: the files of `tls` in the config at `configPath` can be read, the
 * certificate and key parse, and the key is the certificate's. The error says which, and how to
 * make a test pair. Resolves with the certificate's SHA-256 fingerprint.
 */
export async function checkTlsFiles(configPath: string, files: TlsFiles): Promise<string> {
  try {
    const { cert, key } = await loadTlsIdentity(files);
    const certificate = new X509Certificate(cert);
    if (!certificate.checkPrivateKey(createPrivateKey(key))) throw new Error(`${files.key} is not the key of ${files.cert}`);
    return certificate.fingerprint256;
  } catch (err) {
    throw new Error(`${configPath}: tls: ${(err as Error).message} (${TEST_CERTIFICATE})`, { cause: err });
  }
}

/** The SHA-256 fingerprint of a PEM certificate, as `AB:CD:…` (what a peer pins). */
export function certificateFingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

export type PinnedDial = { readonly ok: true; readonly socket: TLSSocket } | { readonly ok: false; readonly reason: string };

/**
 * Opens a TLS connection that trusts exactly one certificate: the one whose SHA-256 fingerprint
 * is `pin` (no certificate authority involved, so self-signed certificates serve).
 */
export function dialPinned(target: { readonly host: string; readonly port: number }, pin: string): Promise<PinnedDial> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port, rejectUnauthorized: false });
    socket.once("secureConnect", () => {
      const seen = socket.getPeerCertificate().fingerprint256;
      socket.removeAllListeners("error");
      if (seen !== pin.toUpperCase()) {
        socket.destroy();
        resolve({ ok: false, reason: `certificate ${seen ?? "(none)"} is not the pinned ${pin}` });
        return;
      }
      socket.setNoDelay(true);
      resolve({ ok: true, socket });
    });
    socket.once("error", (err) => resolve({ ok: false, reason: err.message }));
  });
}
