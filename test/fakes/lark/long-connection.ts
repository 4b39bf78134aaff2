import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { FRAME_METHOD, decodeFrame, encodeFrame, headerValue } from './frame-codec';
import type { Frame } from './frame-codec';
import { isRecord, parseJson, readBody, sendJson } from './http-io';
import { newTraceId } from './ids';

/**
 * Lark's long connection ("长连接"): `POST /callback/ws/endpoint` hands out a ws URL and client config,
 * then events travel as protobuf data frames and the client ACKs each by echoing the frame with payload
 * `{"code":200,"data":base64(JSON(handler result))}`. Delivery is at least once: events pushed while no
 * client is ready wait, and events unacknowledged when a connection drops are sent again on the next one.
 */

export const WS_PATH = '/ws';
const SERVICE_ID = 1;
/** The SDK pings as soon as its socket opens, but attaches its frame listener a moment later: frames sent
 * before that are lost. Its first ping proves it listens; this is the fallback for clients that never ping. */
const READY_FALLBACK_MS = 1000;

export interface LongConnectionOptions {
  appId: string;
  appSecret: string;
  /** Seconds between the client's pings. */
  pingIntervalSeconds?: number;
  wsBaseUrl(): string;
}

export interface EventAck {
  /** 200 when the handler resolved, 500 when it threw. */
  code: number;
  /** The handler's return value, decoded from the ACK (a card action's answer, say). */
  result: unknown;
}

export interface PushOptions {
  /** Split the payload over this many frames (`sum`/`seq`), as Lark does for large events. */
  fragments?: number;
}

interface PendingEvent {
  frameMessageId: string;
  payload: Buffer;
  fragments: number;
  deliveredOn?: WebSocket;
  resolve(ack: EventAck): void;
  reject(error: Error): void;
}

export class LongConnection {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly ready = new Set<WebSocket>();
  private readonly sockets = new Set<WebSocket>();
  private readonly pending: PendingEvent[] = [];
  private readonly readyWaiters: (() => void)[] = [];
  private seq = 1;
  /** Sockets the SDK opened over the fake's lifetime: a reconnect adds one. */
  connectionsOpened = 0;

  constructor(private readonly options: LongConnectionOptions) {}

  get clientConnected(): boolean {
    return this.ready.size > 0;
  }

  async handleEndpoint(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = parseJson(await readBody(req));
    if (!isRecord(body) || body.AppID !== this.options.appId || body.AppSecret !== this.options.appSecret) {
      sendJson(res, 200, { code: 514, msg: 'auth failed: unknown app or wrong secret', data: {} });
      return;
    }
    const ticket = randomBytes(12).toString('hex');
    this.tickets.add(ticket);
    const deviceId = randomBytes(8).toString('hex');
    sendJson(res, 200, {
      code: 0,
      msg: 'ok',
      data: {
        URL: `${this.options.wsBaseUrl()}${WS_PATH}?device_id=${deviceId}&service_id=${SERVICE_ID}&ticket=${ticket}`,
        ClientConfig: this.clientConfig(),
      },
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** Resolves with the client's ACK; waits for a ready client if none is connected. */
  pushEvent(event: object, options: PushOptions = {}): Promise<EventAck> {
    return new Promise<EventAck>((resolve, reject) => {
      this.pending.push({
        frameMessageId: randomBytes(10).toString('hex'),
        payload: Buffer.from(JSON.stringify(event), 'utf8'),
        fragments: Math.max(1, Math.min(options.fragments ?? 1, 16)),
        resolve,
        reject,
      });
      this.flush();
    });
  }

  /** Resolves once a client is connected and listening. */
  waitForClient(): Promise<void> {
    if (this.clientConnected) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Cuts every client off, as a network blip would; the SDK reconnects by itself. */
  dropConnection(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    for (const event of this.pending.splice(0)) event.reject(new Error('fake Lark closed before the event was acknowledged'));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private clientConfig(): Record<string, number> {
    // Reconnect at once and retry every second: tests should not wait on Lark's production back-off.
    return { PingInterval: this.options.pingIntervalSeconds ?? 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 };
  }

  private accept(socket: WebSocket): void {
    this.connectionsOpened += 1;
    this.sockets.add(socket);
    const fallback = setTimeout(() => this.markReady(socket), READY_FALLBACK_MS);
    socket.on('message', (data: RawData) => this.receive(socket, data));
    socket.on('close', () => {
      clearTimeout(fallback);
      this.sockets.delete(socket);
      this.ready.delete(socket);
      // Unacknowledged events go out again on the next connection, as Lark redelivers them.
      for (const event of this.pending) if (event.deliveredOn === socket) delete event.deliveredOn;
    });
    socket.on('error', () => socket.terminate());
  }

  private markReady(socket: WebSocket): void {
    if (this.ready.has(socket) || !this.sockets.has(socket)) return;
    this.ready.add(socket);
    for (const waiter of this.readyWaiters.splice(0)) waiter();
    this.flush();
  }

  private receive(socket: WebSocket, data: RawData): void {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch {
      return;
    }
    const type = headerValue(frame, 'type');
    if (frame.method === FRAME_METHOD.control && type === 'ping') {
      this.send(socket, {
        SeqID: 0,
        LogID: 0,
        service: frame.service,
        method: FRAME_METHOD.control,
        headers: [{ key: 'type', value: 'pong' }],
        payload: Buffer.from(JSON.stringify(this.clientConfig())),
      });
      this.markReady(socket);
      return;
    }
    if (frame.method === FRAME_METHOD.data) this.acknowledge(frame);
  }

  private acknowledge(frame: Frame): void {
    const id = headerValue(frame, 'message_id');
    const index = this.pending.findIndex((event) => event.frameMessageId === id);
    const event = this.pending[index];
    if (!event) return;
    // The SDK answers a fragmented event once, after the last fragment completes it.
    const ack = parseJson(Buffer.from(frame.payload ?? new Uint8Array()).toString('utf8'));
    if (!isRecord(ack) || typeof ack.code !== 'number') return;
    this.pending.splice(index, 1);
    const result = typeof ack.data === 'string' ? parseJson(Buffer.from(ack.data, 'base64').toString('utf8')) : undefined;
    event.resolve({ code: ack.code, result });
  }

  private flush(): void {
    const [socket] = this.ready;
    if (!socket) return;
    for (const event of this.pending) {
      if (event.deliveredOn) continue;
      event.deliveredOn = socket;
      this.deliver(socket, event);
    }
  }

  private deliver(socket: WebSocket, event: PendingEvent): void {
    const size = Math.ceil(event.payload.length / event.fragments);
    const traceId = newTraceId();
    for (let seq = 0; seq < event.fragments; seq += 1) {
      this.send(socket, {
        SeqID: this.seq,
        LogID: this.seq,
        service: SERVICE_ID,
        method: FRAME_METHOD.data,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: event.frameMessageId },
          { key: 'sum', value: String(event.fragments) },
          { key: 'seq', value: String(seq) },
          { key: 'trace_id', value: traceId },
        ],
        payload: event.payload.subarray(seq * size, (seq + 1) * size),
      });
      this.seq += 1;
    }
  }

  private send(socket: WebSocket, frame: Frame): void {
    socket.send(encodeFrame(frame));
  }
}
