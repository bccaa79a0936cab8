// One-line descriptions of S3 failures that name the endpoint and bucket and say what to fix.
// HEAD answers carry no error body, so the HTTP status is what we mostly go by.

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  errors?: { code?: string }[];
  $metadata?: { httpStatusCode?: number };
}

const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

export function networkCode(err: unknown): string | undefined {
  const e = (err ?? {}) as SdkErrorShape;
  const code = e.code ?? e.errors?.find((x) => x.code !== undefined)?.code;
  if (code !== undefined && NETWORK.has(code)) return code;
  if (e.name === 'TimeoutError' || e.name === 'RequestTimeout') return 'timeout';
  return undefined;
}

export function httpStatus(err: unknown): number | undefined {
  return ((err ?? {}) as SdkErrorShape).$metadata?.httpStatusCode;
}

export function describeS3Error(err: unknown, where: { endpoint: string; bucket: string; region: string }): string {
  const e = (err ?? {}) as SdkErrorShape;
  const net = networkCode(err);
  if (net !== undefined) return `cannot reach S3 endpoint ${where.endpoint} (${net}) for bucket '${where.bucket}'`;
  const status = httpStatus(err);
  const name = e.name ?? e.code ?? 'Error';
  if (status === 404 || name === 'NoSuchBucket' || name === 'NotFound') {
    return `bucket '${where.bucket}' does not exist at ${where.endpoint}`;
  }
  if (status === 403 || name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch') {
    const why = name === 'Forbidden' || name === '403' ? 'access denied' : name;
    return `${where.endpoint} refused the credentials for bucket '${where.bucket}' (${why}): check S3_ACCESS and S3_SECRET`;
  }
  if (status === 301 || status === 307 || name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed') {
    return `${where.endpoint} wants another region or address for bucket '${where.bucket}' (${name}); s3_region is ${where.region}`;
  }
  const detail = e.message !== undefined && e.message !== '' && e.message !== name ? `: ${e.message}` : '';
  return `${where.endpoint} bucket '${where.bucket}': ${name}${detail}${status === undefined ? '' : ` (HTTP ${status})`}`;
}
