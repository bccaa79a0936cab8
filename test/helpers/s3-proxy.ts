// A loopback proxy in front of the test S3 server (radosgw) for the tests that need a fault the
// real server will not produce on demand:
// - a 500 answer, a connection reset, or a request that never gets an answer (stall);
// - a HEAD whose content-length disagrees with what was stored (lieSize).
// Everything else is forwarded unchanged, the Host header included, so radosgw checks the
// client's SigV4 signature itself. Every request is recorded with its headers.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * pass: forward; status500: answer 500 InternalError; reset: drop the connection; stall: never
 * answer; lieSize: forward, but report one byte more in the answer's content-length (a HEAD
 * that disagrees with what was uploaded).
 */
export type Fault = 'pass' | 'status500' | 'reset' | 'stall' | 'lieSize';

export interface RecordedRequest {
  readonly method: string;
  /** Path without the query, still URL-encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
}

export class S3Proxy {
  readonly requests: RecordedRequest[] = [];
  /**
   * Decides the fate of each request (default: pass through). Called once per request, in
   * arrival order, before anything is forwarded: a test may act on it (send a signal, count).
   */
  fault: ((r: RecordedRequest) => Fault) | undefined;
  /** http://127.0.0.1:port once listen() resolved. */
  endpoint = '';
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly targetPort: number) {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    this.endpoint = `http://127.0.0.1:${port}`;
    return this.endpoint;
  }

  /** Forgets recorded requests and the fault hook (between tests). */
  reset(): void {
    this.requests.length = 0;
    this.fault = undefined;
  }

  async close(): Promise<void> {
    // Stalled requests and connections cut off mid-body would keep close() waiting.
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
      headers: req.headers,
    };
    this.requests.push(rec);
    const fault = this.fault?.(rec) ?? 'pass';
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'stall') return; // never answered; the socket is destroyed on close()
    if (fault === 'status500') {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>injected failure</Message></Error>');
      return;
    }
    this.forward(req, res, url, fault === 'lieSize');
  }

  private forward(req: IncomingMessage, res: ServerResponse, url: string, lieSize: boolean): void {
    const up = request({ host: '127.0.0.1', port: this.targetPort, method: req.method, path: url, headers: req.headers }, (upRes) => {
      const headers = { ...upRes.headers };
      if (lieSize && req.method === 'HEAD') headers['content-length'] = String(Number(headers['content-length'] ?? 0) + 1);
      res.writeHead(upRes.statusCode ?? 502, headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    // A client that gives up mid-request (an aborted part) must not leave the server waiting
    // for the rest of the body: pipe() does not end the upstream request when the source dies.
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  }
}
