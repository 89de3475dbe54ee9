/**
 * TLS for `https://` in the page: a TLS 1.3 client (subtls, pure JS over SubtleCrypto) on top of
 * one of the run's TCP connections, so the relay only ever carries ciphertext. What subtls offers
 * and checks, and so what the playground's https can reach:
 * - TLS 1.3 only, key exchange on P-256, cipher TLS_AES_128_GCM_SHA256 (servers that speak only
 *   TLS 1.2, or insist on X25519 without a HelloRetryRequest, refuse the handshake);
 * - the server's certificate: a DNS subjectAltName matching the host (one `*.` label), valid
 *   now, extended key usage serverAuth, and its CertificateVerify signature over the handshake;
 * - the chain: each certificate signed by the next one sent or by a root of the trust store
 *   (found by authority key id, else issuer name), every signer valid now, a CA by its basic
 *   constraints, within its path length; ECDSA P-256/P-384 or RSA PKCS#1 v1.5 with SHA-256/384.
 *   It does not build alternative chains, check revocation, name constraints or keyCertSign.
 * IP-literal hosts cannot be verified (no IP subjectAltNames) and are refused.
 */
import { LazyReadFunctionReadQueue, startTls, TrustedCert, type RootCertsDatabase } from "subtls";
import type { Conn } from "./conn";
import { asHttpError, describeError, HttpError, type ErrorCode } from "./errors";

/** The certificates a run's https trusts. */
export interface TrustStore {
  /** What it is, for messages ("the web's roots", "the test CA"). */
  readonly name: string;
  roots(): Promise<RootCertsDatabase>;
}

/** Where the page serves its root store: Mozilla's CA list as Node ships it, written at build (scripts/tls-roots.mjs). */
export const WEB_ROOTS_URL = "/tls-roots.pem";

/** A trust store from PEM text, parsed on first use (`pem` is fetched then, if it is a function). */
export function pemTrust(name: string, pem: string | (() => Promise<string>)): TrustStore {
  let db: Promise<RootCertsDatabase> | undefined;
  return {
    name,
    roots() {
      db ??= (async () => TrustedCert.databaseFromPEM(typeof pem === "string" ? pem : await pem()))();
      return db;
    },
  };
}

/** The web's roots, fetched from the page's origin (`WEB_ROOTS_URL`) on the first https request. */
export function webTrust(get: typeof fetch | undefined = globalThis.fetch): TrustStore {
  return pemTrust("the web's root certificates", async () => {
    if (!get) throw new Error("this context cannot fetch the root store");
    const res = await get(WEB_ROOTS_URL);
    if (!res.ok) throw new Error(`${WEB_ROOTS_URL} answered ${res.status}`);
    return res.text();
  });
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[?[0-9a-fA-F:]*:[0-9a-fA-F:.]*\]?)$/;

/** A failure of the connection under TLS as it is (refused, reset...); null for one of TLS itself. */
function networkError(err: unknown): HttpError | null {
  try {
    return asHttpError(err);
  } catch {
    return null;
  }
}

/** The error-code and message for a failed handshake, by what subtls said. */
function handshakeError(host: string, err: unknown): HttpError {
  const network = networkError(err);
  if (network) return network;
  const message = describeError(err);
  const certificate = /certificate|subjectAltName|trusted root|signing|pathLength|ECDSA|RSASSA|verify|Unsupported signing/i.test(message);
  let code: ErrorCode;
  let detail: string;
  if (/Fatal alert/i.test(message)) {
    code = { tag: "TLS-alert-received", val: { alertId: undefined, alertMessage: message } };
    detail = `${host} refused the TLS handshake (an alert): the playground speaks TLS 1.3 with P-256 and AES-128-GCM only, which it may not accept`;
  } else if (certificate) {
    code = { tag: "TLS-certificate-error" };
    detail = `${host}'s certificate is not trusted: ${message}`;
  } else {
    code = { tag: "TLS-protocol-error" };
    detail = `TLS with ${host} failed: ${message} (the playground speaks TLS 1.3 with P-256 and AES-128-GCM only)`;
  }
  return new HttpError(code, detail);
}

/**
 * Runs the TLS handshake with `host` over `tcp` and returns the encrypted connection; rejects with
 * a `TLS-*` HttpError (and closes `tcp`) when the handshake or the certificate fails.
 */
export async function tlsConnect(tcp: Conn, host: string, trust: TrustStore): Promise<Conn> {
  if (IP_LITERAL.test(host)) {
    tcp.close();
    throw new HttpError({ tag: "TLS-certificate-error" }, `https://${host}: a certificate for an IP address cannot be verified here; use the host's name`);
  }
  let roots: RootCertsDatabase;
  try {
    roots = await trust.roots();
  } catch (err) {
    tcp.close();
    throw new HttpError({ tag: "TLS-certificate-error" }, `https://${host}: ${trust.name} could not be loaded: ${describeError(err)}`);
  }
  // subtls writes without waiting; records must reach the wire in the order they were sealed.
  let writing = Promise.resolve();
  let writeFailed: unknown = null;
  const rawWrite = (data: Uint8Array) => {
    writing = writing.then(() => tcp.write(data)).catch((err: unknown) => void (writeFailed ??= err));
  };
  const queue = new LazyReadFunctionReadQueue(async () => (await tcp.read()) ?? undefined);
  let session: Awaited<ReturnType<typeof startTls>>;
  try {
    // `read` takes a mode too (subtls peeks at the next record), so it is passed bound, not wrapped.
    session = await startTls(host, roots, queue.read.bind(queue), rawWrite, { requireDigitalSigKeyUsage: false });
  } catch (err) {
    tcp.abort();
    throw handshakeError(host, err);
  }
  let ended = false;
  let sealing = Promise.resolve();
  return {
    async read() {
      if (ended) return null;
      let data: Uint8Array | undefined;
      try {
        data = await session.read();
      } catch (err) {
        throw networkError(err) ?? new HttpError({ tag: "TLS-protocol-error" }, `TLS with ${host} broke: ${describeError(err)}`);
      }
      if (data === undefined) {
        ended = true;
        return null;
      }
      return data;
    },
    async write(bytes) {
      const sealed = sealing.then(() => session.write(bytes));
      sealing = sealed.catch(() => {});
      await sealed;
      await writing;
      if (writeFailed !== null) throw writeFailed;
    },
    close: () => tcp.close(),
    abort: () => tcp.abort(),
    get ended() {
      return ended || tcp.ended;
    },
  };
}
