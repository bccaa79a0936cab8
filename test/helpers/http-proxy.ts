// A forwarding HTTP proxy on 127.0.0.1 that demands Basic proxy credentials, for proving that a
// layer's proxy (with its password) is used at build time. Plain HTTP only (no CONNECT).
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpProxy {
  /** http://user:password@127.0.0.1:PORT */
  readonly url: string;
  /** Absolute URLs forwarded (authorised requests only). */
  readonly forwarded: string[];
  /** Requests refused with 407 (missing or wrong credentials). */
  readonly refused: string[];
  stop(): Promise<void>;
}

function forward(req: IncomingMessage, res: ServerResponse): void {
  const headers = { ...req.headers };
  delete headers['proxy-authorization'];
  delete headers['proxy-connection'];
  const upstream = request(req.url ?? '', { method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', (e) => {
    res.writeHead(502);
    res.end(e.message);
  });
  req.pipe(upstream);
}

/** Starts the proxy; it forwards only requests carrying user:password. */
export async function startHttpProxy(user: string, password: string): Promise<HttpProxy> {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const forwarded: string[] = [];
  const refused: string[] = [];
  const server = createServer((req, res) => {
    if (req.headers['proxy-authorization'] !== expected) {
      refused.push(req.url ?? '');
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' });
      res.end();
      return;
    }
    forwarded.push(req.url ?? '');
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    forwarded,
    refused,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
