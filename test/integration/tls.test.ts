import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import { ConfigError, loadConfig } from '../../src/config';
import { startHttpServer } from '../../src/server/http-server';
import { createTestDatabase } from '../support/database';

const logger = pino({ level: 'silent' });
let dir: string;
let certFile: string;
let keyFile: string;
let ca: Buffer;

/** A self-signed certificate for localhost and 127.0.0.1, made fresh for this run. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aifixer-tls-'));
  [certFile, keyFile] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyFile, '-out', certFile],
    { stdio: 'ignore' },
  );
  ca = await readFile(certFile);
});

/** GET over HTTPS trusting only our certificate; resolves with the status and body. */
function getTls(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).once('error', reject);
  });
}

function getPlain(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).once('error', reject);
  });
}

describe('TLS_CERT and TLS_KEY', () => {
  it('are checked at start-up: both or neither, readable PEM files', async () => {
    const notPem = join(dir, 'notes.txt');
    await writeFile(notPem, 'not a certificate');
    expect(() => loadConfig({ TLS_CERT: certFile })).toThrow(/set both TLS_CERT and TLS_KEY/);
    expect(() => loadConfig({ TLS_KEY: keyFile })).toThrow(ConfigError);
    expect(() => loadConfig({ TLS_CERT: certFile, TLS_KEY: join(dir, 'missing.pem') })).toThrow(/TLS_KEY: cannot read .*missing\.pem/);
    expect(() => loadConfig({ TLS_CERT: notPem, TLS_KEY: keyFile })).toThrow(/TLS_CERT: .*notes\.txt is not a PEM file/);
    expect(loadConfig({ TLS_CERT: certFile, TLS_KEY: keyFile })).toMatchObject({ TLS_CERT: certFile, TLS_KEY: keyFile });
  });

  it('make the server speak HTTPS, and only HTTPS', async () => {
    const server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      checks: { database: () => Promise.resolve() },
      tls: { cert: await readFile(certFile), key: await readFile(keyFile) },
    });
    try {
      expect(await getTls(`https://127.0.0.1:${server.port}/healthz`)).toEqual({ status: 200, body: '{"status":"ok"}' });
      expect(await getTls(`https://localhost:${server.port}/readyz`)).toMatchObject({ status: 200 });
      await expect(getPlain(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
      // Without our certificate as a trust anchor the client refuses the self-signed one.
      await expect(fetch(`https://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('serve the bot itself over HTTPS: readiness, metrics and the console', async () => {
    const db = await createTestDatabase();
    const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', TLS_CERT: certFile, TLS_KEY: keyFile });
    const app = await startApp(config, logger, { input: new PassThrough(), output: new PassThrough() });
    try {
      const base = `https://localhost:${app.httpPort}`;
      expect(await getTls(`${base}/readyz`)).toEqual({ status: 200, body: '{"status":"ready"}' });
      expect((await getTls(`${base}/metrics`)).body).toContain('aifixer_incident_transitions_total');
      expect((await getTls(`${base}/`)).body).toContain('<script type="module" src="/app.js">');
    } finally {
      await app.stop();
      await db.drop();
    }
  });
});
