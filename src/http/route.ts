import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

/** What a module that serves HTTP (intake, Lark webhook, metrics, console) hands the server: its routes. */
export interface RouteRequest {
  /** The body exactly as received: signatures are computed over these bytes, never over re-serialised JSON. */
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  url: URL;
  /** The peer's address (the proxy's, behind one): the web console trusts only loopback without a token. */
  remoteAddress?: string;
}

export interface RouteResponse {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON, unless `raw` or `stream` is given. */
  body?: unknown;
  /** Sent as is (a static file); say its content-type in `headers`. */
  raw?: Buffer | string;
  /**
   * Keeps the response open and writes it itself (server-sent events). `closed` aborts when the
   * client goes away or the server closes; the server ends the response then.
   */
  stream?: (res: ServerResponse, closed: AbortSignal) => void;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /**
   * Checked before the body is read: a refusal (null: go on) is answered without reading it, so an
   * unauthenticated caller cannot make the server buffer a megabyte or hold a socket with a slow upload.
   */
  authorize?(request: Omit<RouteRequest, 'rawBody'>): RouteResponse | null;
  handle(request: RouteRequest): Promise<RouteResponse>;
}
