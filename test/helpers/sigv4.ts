// An independent AWS Signature Version 4 verifier for the S3 test proxy. s3rver checks only the
// access key id, so without this a wrong secret would pass unnoticed. Follows the published
// algorithm: canonical request -> string to sign -> HMAC chain of the secret.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface SigCheck {
  ok: boolean;
  /** S3 error code when not ok: AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch. */
  code?: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** RFC 3986 encoding, as SigV4 requires (encodeURIComponent leaves !'()* alone). */
function enc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalUri(rawPath: string): string {
  return rawPath
    .split('/')
    .map((seg) => enc(decodeURIComponent(seg)))
    .join('/');
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  return rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      const k = decodeURIComponent(i < 0 ? p : p.slice(0, i));
      const v = decodeURIComponent(i < 0 ? '' : p.slice(i + 1));
      return [enc(k), enc(v)] as const;
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

export function verifySigV4(
  req: { method: string; url: string; headers: IncomingHttpHeaders },
  creds: { accessKey: string; secret: string },
): SigCheck {
  const auth = req.headers.authorization;
  if (auth === undefined) return { ok: false, code: 'AccessDenied' };
  const m = AUTH.exec(auth);
  if (m === null) return { ok: false, code: 'AccessDenied' };
  const [, accessKey, date, region, service, signedHeaders, signature] = m as unknown as string[];
  if (accessKey !== creds.accessKey) return { ok: false, code: 'InvalidAccessKeyId' };
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
  const names = (signedHeaders).split(';');
  const headerLines = names.map((h) => {
    const v = req.headers[h];
    const value = Array.isArray(v) ? v.join(',') : (v ?? '');
    return `${h}:${value.trim().replace(/\s+/g, ' ')}\n`;
  });
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? 'UNSIGNED-PAYLOAD');
  const canonical = [req.method, canonicalUri(rawPath), canonicalQuery(rawQuery), headerLines.join(''), signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key = hmac(`AWS4${creds.secret}`, date);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, 'aws4_request');
  const expected = hmac(key, toSign);
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, code: 'SignatureDoesNotMatch' };
}
