import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { Prng } from './prng';

/**
 * A TCP proxy in front of a fake (Lark, the LLM) that drops connections: the bot talks to it instead of
 * the fake. A dropped connection is either refused at once, or cut when the answer starts to come
 * back — the fake has done the work (a message posted, a model turn paid for) but the caller never
 * hears it, which is what makes retries dangerous.
 */
export class FaultProxy {
  /** Share of new connections and of responses that are dropped. */
  dropRate = 0;
  drops = 0;
  connections = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly name: string,
    private readonly upstreamPort: number,
    private readonly prng: Prng,
  ) {}

  async start(): Promise<string> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('proxy has no port');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Cuts every open connection now, as a network blip would. */
  cutAll(): number {
    const open = [...this.sockets];
    for (const socket of open) socket.destroy();
    this.drops += open.length;
    return open.length;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.connections++;
    if (this.prng.chance(this.dropRate)) {
      this.drops++;
      client.destroy();
      return;
    }
    const upstream = connect(this.upstreamPort, '127.0.0.1');
    this.track(client);
    this.track(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', cut);
    upstream.on('close', cut);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    let answering = false;
    upstream.on('data', (chunk: Buffer) => {
      // Decide once per response (its first chunk), so keep-alive connections are cut per request too.
      if (!answering && this.prng.chance(this.dropRate)) {
        this.drops++;
        cut();
        return;
      }
      answering = true;
      client.write(chunk);
    });
    // A new request on a kept-alive connection starts a new answer.
    client.on('data', () => (answering = false));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
