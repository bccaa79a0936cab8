// radosgw's operations log, read as the server's own record of the requests it served: which
// operation (put_obj, init_multipart, copy_obj, abort_multipart, ...), its status, and the
// request headers that show how a body was framed. One JSON object per entry; Ceph 16 writes
// entries of one flush back to back (`}{`) and a newline after the batch.
//
// The gateway writes an entry just after it has answered the request, so a test cannot read the
// file as soon as its client returns. read() sends a marker request (an anonymous HEAD of a
// unique key, refused and logged like any other) and waits, on file change events, until the
// marker's entry is there and the caller's `until` holds. Requests answered before the marker
// was sent are logged before it in practice; the only exception would be a serving thread that
// stalls between answering and logging for longer than the whole marker request, and that can
// only hide an entry, never invent one. So: assert "every entry..." or "no entry..." after the
// marker alone, and pass `until` for the entries an assertion needs to be present.
import { randomUUID } from 'node:crypto';
import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';

const WAIT_MS = 30_000;

export interface GatewayRequest {
  readonly bucket: string;
  /** radosgw's name for it: put_obj (also parts), init_multipart, complete_multipart, abort_multipart, copy_obj, get_obj (also HEAD), list_bucket... */
  readonly operation: string;
  readonly method: string;
  /** URL-encoded path, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly status: number;
  /** S3 error code, '' on success. */
  readonly errorCode: string;
  /** The client's User-Agent: aws-sdk-js/... for the code under test, s3cmd/... for the checks. */
  readonly userAgent: string;
  /** The request headers listed in ceph-config.ts, keys lower-case with dashes. */
  readonly headers: Readonly<Record<string, string>>;
}

interface RawEntry {
  bucket?: string;
  operation?: string;
  uri?: string;
  http_status?: string;
  error_code?: string;
  user_agent?: string;
  http_x_headers?: Record<string, string>[];
}

export function parseOpsLine(entry: string): GatewayRequest {
  const e = JSON.parse(entry) as RawEntry;
  // "PUT /bucket/key?partNumber=1&uploadId=X?partNumber=1&uploadId=X HTTP/1.1" (Ceph 16 repeats the query)
  const [method = '', target = ''] = (e.uri ?? '').split(' ');
  const [path = '', query = ''] = target.split('?');
  const headers: Record<string, string> = {};
  for (const h of e.http_x_headers ?? []) {
    for (const [k, v] of Object.entries(h)) headers[k.replace(/^HTTP_/, '').toLowerCase().replace(/_/g, '-')] = v;
  }
  return {
    bucket: e.bucket ?? '',
    operation: e.operation ?? '',
    method,
    path,
    query: new URLSearchParams(query),
    status: Number(e.http_status ?? 0),
    errorCode: e.error_code ?? '',
    userAgent: e.user_agent ?? '',
    headers,
  };
}

/** The complete top-level JSON objects in text, in order (an unfinished one at the end is left out). */
export function jsonObjects(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(text.slice(start, i + 1));
  }
  return out;
}

function parseAll(text: string): GatewayRequest[] {
  return jsonObjects(text).map(parseOpsLine);
}

/** Resolves with the parsed file once `ready` holds for its text; rejects after WAIT_MS. */
function entriesWhen(file: string, ready: (text: string) => boolean, what: string): Promise<GatewayRequest[]> {
  return new Promise((resolve, reject) => {
    const watcher = watch(file);
    let done = false;
    const finish = (err: Error | undefined, text = ''): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      watcher.close();
      if (err) reject(err);
      else resolve(parseAll(text));
    };
    const check = (): void => {
      readFile(file, 'utf8')
        .then((text) => {
          if (ready(text)) finish(undefined, text);
        })
        .catch((e: unknown) => finish(e instanceof Error ? e : new Error(String(e))));
    };
    const timer = setTimeout(() => finish(new Error(`radosgw's ops log ${file} did not show ${what} within ${WAIT_MS} ms`)), WAIT_MS);
    watcher.on('change', check);
    watcher.on('error', (e) => finish(e));
    check(); // it may already be there
  });
}

export class OpsLog {
  constructor(
    private readonly file: string,
    private readonly rgwUrl: string,
    /** An existing bucket that only marker requests use. */
    private readonly markerBucket: string,
  ) {}

  /**
   * Every request the gateway has logged (marker requests left out), once the marker is in and
   * `until` (default: always) holds for the entries. Rejects after 30 s.
   */
  async read(until: (entries: GatewayRequest[]) => boolean = () => true): Promise<GatewayRequest[]> {
    const marker = `ops-log-marker-${randomUUID()}`;
    const res = await fetch(`${this.rgwUrl}/${this.markerBucket}/${marker}`, { method: 'HEAD', signal: AbortSignal.timeout(WAIT_MS) });
    if (res.status !== 403) throw new Error(`marker request answered ${res.status}, expected 403`);
    const own = (entries: GatewayRequest[]): GatewayRequest[] => entries.filter((r) => r.bucket !== this.markerBucket);
    const entries = await entriesWhen(this.file, (text) => text.includes(marker) && until(own(parseAll(text))), `${marker} and the awaited requests`);
    return own(entries);
  }
}
