import { X509Certificate } from "node:crypto";
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
