import { connect } from 'node:tls';

export interface TlsCertificateInfo {
  validTo: string;
  daysLeft: number;
  /** Whether the chain verifies against the system's CAs (a self-signed cert still reports its expiry). */
  trusted: boolean;
  subject?: string;
  issuer?: string;
}

/**
 * The peer certificate of an https URL, read over its own short TLS connection: fetch does not expose
 * it. Verification is not required for the read, so an untrusted certificate still shows when it expires.
 */
export function readTlsCertificate(url: URL, signal: AbortSignal, now = Date.now()): Promise<TlsCertificateInfo> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: url.hostname,
      port: Number(url.port || 443),
      servername: url.hostname,
      rejectUnauthorized: false,
    });
    const stop = () => socket.destroy(new Error('aborted'));
    signal.addEventListener('abort', stop, { once: true });
    const done = () => signal.removeEventListener('abort', stop);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      done();
      if (!cert.valid_to) return reject(new Error('the server sent no certificate'));
      const validTo = new Date(cert.valid_to);
      resolve({
        validTo: validTo.toISOString(),
        daysLeft: Math.floor((validTo.getTime() - now) / 86_400_000),
        trusted: socket.authorized,
        subject: firstOf(cert.subject?.CN),
        issuer: firstOf(cert.issuer?.CN),
      });
    });
    socket.once('error', (error: Error) => {
      done();
      reject(error);
    });
  });
}

const firstOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
