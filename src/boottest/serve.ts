// The HTTP server the guest fetches its rootfs from: one file under one path, GET and HEAD,
// on a random free port of 127.0.0.1. Each request is logged, so a stalled download shows.
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { Logger } from '../log/logger.js';
import { listenOnLoopback } from '../net/loopback.js';

export interface RootfsServer {
  readonly port: number;
  /** Requests answered so far, as "GET /path 200". */
  readonly requests: readonly string[];
  /** Closes the listener and open connections. Idempotent; never rejects. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** URL path, e.g. /debian12-debian-base-12.squashfs */
  readonly urlPath: string;
  readonly file: string;
  readonly size: number;
  readonly logger: Logger;
}

const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;

/** Rejects when the port cannot be bound. */
export async function serveRootfs(o: ServeOptions): Promise<RootfsServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const answer = (status: number): void => void requests.push(`${req.method} ${path} ${status}`);
    if (path !== o.urlPath || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(path === o.urlPath ? 405 : 404).end();
      answer(res.statusCode);
      o.logger.info(`guest asked for ${req.method} ${path}: ${res.statusCode}`);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(o.size) });
    answer(200);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const started = Date.now();
    o.logger.info(`guest is fetching the rootfs (${mib(o.size)})`);
    res.on('finish', () => o.logger.info(`guest fetched the rootfs in ${((Date.now() - started) / 1000).toFixed(1)} s`));
    createReadStream(o.file)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  const { port, stop } = await listenOnLoopback(server);
  return { port, requests, stop };
}
