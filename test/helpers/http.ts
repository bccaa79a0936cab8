// A static file server on 127.0.0.1 for test fixtures (RPM repos, GPG keys, copyfiles sources).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import { listenOnLoopback } from '../../src/net/loopback.js';

/** One request the server answered, in arrival order. */
export interface RequestRecord {
  method: string;
  /** URL path without the query string, e.g. /pub/rocky/9/BaseOS/x86_64/os/repodata/repomd.xml */
  path: string;
  status: number;
}

export interface StaticServerOptions {
  /**
   * Called before the file lookup. Return true when you answered the request yourself (to
   * inject a 500, a slow response, a redirect ...); false to serve the file as usual.
   */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface StaticServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** The directory being served. */
  readonly root: string;
  /** Every request answered so far (mutable log; clear it with `requests.length = 0`). */
  readonly requests: RequestRecord[];
  /** Closes the listener and open connections. Idempotent. */
  stop(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.xml': 'application/xml',
  '.gz': 'application/gzip',
  '.zst': 'application/zstd',
  '.rpm': 'application/x-rpm',
  '.asc': 'text/plain',
  '.key': 'text/plain',
  '.json': 'application/json',
};

function contentType(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 ? TYPES[path.slice(dot)] : undefined) ?? 'application/octet-stream';
}

async function serveFile(root: string, req: IncomingMessage, res: ServerResponse): Promise<number> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return 405;
  }
  const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const file = normalize(join(root, urlPath));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return 403;
  }
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return 404;
  }
  res.writeHead(200, {
    'Content-Type': contentType(file),
    'Content-Length': String(st.size),
    'Last-Modified': st.mtime.toUTCString(),
  });
  if (req.method === 'HEAD') {
    res.end();
    return 200;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
  return 200;
}

/**
 * Serves the files under `root` (GET and HEAD; no directory listings, no ranges) on a random
 * free port of 127.0.0.1. Paths escaping root get 403, missing files 404.
 * Rejects if the port cannot be bound.
 */
export async function startStaticServer(
  root: string,
  opts: StaticServerOptions = {},
): Promise<StaticServer> {
  const absRoot = normalize(root).replace(/\/+$/, '') || '/';
  const requests: RequestRecord[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const record = (status: number): void => {
      requests.push({ method: req.method ?? '?', path, status });
    };
    if (opts.intercept?.(req, res) === true) {
      record(res.statusCode);
      return;
    }
    serveFile(absRoot, req, res).then(record, () => {
      if (!res.headersSent) res.writeHead(500).end();
      record(500);
    });
  });
  const { port, stop } = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    root: absRoot,
    requests,
    stop,
  };
}
