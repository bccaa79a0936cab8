// A loopback proxy in front of s3rver that makes it usable for failure tests:
// - checks SigV4 signatures with the real secret (s3rver accepts any secret);
// - records every request's method, URL and headers (to prove bodies are plain, not aws-chunked);
// - injects faults: a 500 answer, a connection reset, or a request that never gets an answer;
// - implements the two multipart calls s3rver lacks, over s3rver's own storage:
//   ListMultipartUploads (GET /bucket?uploads) and AbortMultipartUpload (DELETE ...?uploadId=).
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { verifySigV4 } from './sigv4.js';

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

export interface S3ProxyOptions {
  targetPort: number;
  accessKey: string;
  secret: string;
  /** s3rver's storage directory (for the multipart emulation). */
  storageDir: string;
}

const xml = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export class S3Proxy {
  readonly requests: RecordedRequest[] = [];
  /** Decides the fate of each request (default: pass through). */
  fault: ((r: RecordedRequest) => Fault) | undefined;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly opts: S3ProxyOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.error(res, 500, 'InternalError', String(err));
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private error(res: ServerResponse, status: number, code: string, message = code): void {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(xml(`<Error><Code>${code}</Code><Message>${escape(message)}</Message></Error>`));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
      headers: req.headers,
    };
    this.requests.push(rec);
    const sig = verifySigV4({ method: rec.method, url, headers: req.headers }, { accessKey: this.opts.accessKey, secret: this.opts.secret });
    if (!sig.ok) {
      req.resume();
      this.error(res, 403, sig.code ?? 'AccessDenied');
      return;
    }
    const fault = this.fault?.(rec) ?? 'pass';
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'stall') return; // never answered; the socket is destroyed on close()
    if (fault === 'status500') {
      req.resume();
      this.error(res, 500, 'InternalError', 'injected failure');
      return;
    }
    const [bucket, ...keyParts] = rec.path.slice(1).split('/').map(decodeURIComponent).filter((p) => p !== '');
    if (rec.method === 'GET' && keyParts.length === 0 && rec.query.has('uploads') && bucket !== undefined) {
      await this.listUploads(bucket, res);
      return;
    }
    const uploadId = rec.query.get('uploadId');
    if (rec.method === 'DELETE' && uploadId !== null && bucket !== undefined) {
      await this.abortUpload(bucket, uploadId, res);
      return;
    }
    this.forward(req, res, url, fault === 'lieSize');
  }

  private uploadsDir(bucket: string): string {
    // s3rver keeps in-progress multipart uploads in <storage>/<bucket>/._S3rver_uploads/<id>/.
    return join(this.opts.storageDir, bucket, '._S3rver_uploads');
  }

  private async listUploads(bucket: string, res: ServerResponse): Promise<void> {
    let ids: string[] = [];
    try {
      ids = await readdir(this.uploadsDir(bucket));
    } catch {
      ids = [];
    }
    const uploads = await Promise.all(
      ids.map(async (id) => {
        const dir = join(this.uploadsDir(bucket), id);
        const key = await readFile(join(dir, 'key'), 'utf8').catch(() => '');
        const initiated = await stat(dir).then((s) => s.mtime.toISOString(), () => new Date(0).toISOString());
        return { id, key, initiated };
      }),
    );
    // s3cmd skips entries without <Initiated>.
    const items = uploads
      .map((u) => `<Upload><Key>${escape(u.key)}</Key><UploadId>${escape(u.id)}</UploadId><Initiated>${u.initiated}</Initiated></Upload>`)
      .join('');
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(
      xml(
        `<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${escape(bucket)}</Bucket>` +
          `<IsTruncated>false</IsTruncated>${items}</ListMultipartUploadsResult>`,
      ),
    );
  }

  private async abortUpload(bucket: string, uploadId: string, res: ServerResponse): Promise<void> {
    if (!/^[A-Za-z0-9_-]+$/.test(uploadId)) {
      this.error(res, 400, 'InvalidArgument');
      return;
    }
    const dir = join(this.uploadsDir(bucket), uploadId);
    const exists = await readdir(dir).then(
      () => true,
      () => false,
    );
    if (!exists) {
      this.error(res, 404, 'NoSuchUpload');
      return;
    }
    await rm(dir, { recursive: true, force: true });
    res.writeHead(204);
    res.end();
  }

  private forward(req: IncomingMessage, res: ServerResponse, url: string, lieSize = false): void {
    const up = request(
      { host: '127.0.0.1', port: this.opts.targetPort, method: req.method, path: url, headers: req.headers },
      (upRes) => {
        const headers = { ...upRes.headers };
        if (lieSize && req.method === 'HEAD') headers['content-length'] = String(Number(headers['content-length'] ?? 0) + 1);
        res.writeHead(upRes.statusCode ?? 502, headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    // A client that gives up mid-request (an aborted part) must not leave s3rver waiting for
    // the rest of the body: pipe() does not end the upstream request when the source dies.
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  }
}
