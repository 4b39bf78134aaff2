import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import httpProbe from '../../plugins/diagnostic/http-probe';
import { readTlsCertificate } from '../../plugins/diagnostic/_http/tls-certificate';
import { runPlugin } from '../../src/plugins/run-plugin';
import { TargetsSchema } from '../../src/plugins/targets';

let server: Server;
let url: string;

/** A real HTTPS server whose self-signed certificate expires in 5 days. */
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aifixer-tls-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '5', '-subj', '/CN=localhost', '-keyout', key, '-out', cert], {
    stdio: 'ignore',
  });
  server = createServer({ key: await readFile(key), cert: await readFile(cert) }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('http.probe and TLS certificates', () => {
  it('reads when the certificate expires, trusted or not', async () => {
    const info = await readTlsCertificate(new URL(url), new AbortController().signal);
    expect(info).toMatchObject({ subject: 'localhost', trusted: false });
    expect(info.daysLeft).toBeGreaterThanOrEqual(4);
    expect(info.daysLeft).toBeLessThanOrEqual(5);
  });

  it('fails on an untrusted certificate and says when it expires', async () => {
    const targets = TargetsSchema.parse({ http: { web: { baseUrl: url } } });
    const result = await runPlugin(httpProbe, { target: 'web' }, { signal: new AbortController().signal, logger: pino({ level: 'silent' }), targets });
    expect(result.status).toBe('error');
    expect(result.summary).toMatch(/certificate/i);
    expect(result.summary).toMatch(/TLS certificate valid [45] more day\(s\), not trusted by this host/);
    expect(result.data).toMatchObject({ tls: { trusted: false } });
  });
});
