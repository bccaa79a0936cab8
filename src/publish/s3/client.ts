// The S3 client, configured for S3-compatible stores (MinIO, Ceph RGW, versitygw):
// - path-style addressing (http://host:port/bucket/key): those stores rarely have wildcard DNS;
// - request checksums only when an operation requires them: the SDK's default since 3.729
//   (WHEN_SUPPORTED) sends `aws-chunked` bodies with checksum trailers, which several of these
//   stores reject or store verbatim. Plain bodies work everywhere; tests hold us to it;
// - standard retry mode: exponential backoff with jitter on 5xx, throttling and connection
//   resets. Upload parts are buffers, so a retried part is re-sent whole.
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Target } from '../../model/spec.js';
import type { S3Credentials } from './credentials.js';

export interface ClientTuning {
  /** Total attempts per request, first one included (default 5). */
  maxAttempts?: number;
  /** TCP connect timeout in ms (default 10 s). */
  connectionTimeoutMs?: number;
  /** Socket idle timeout in ms (default 120 s). */
  requestTimeoutMs?: number;
}

// The SDK's Node-version warning is silenced at the process edge (bin/image-build.js), the
// only switch it has being an environment variable.
export function createS3Client(target: S3Target, creds: S3Credentials, tuning: ClientTuning = {}): S3Client {
  return new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    retryMode: 'standard',
    maxAttempts: tuning.maxAttempts ?? 5,
    requestHandler: {
      connectionTimeout: tuning.connectionTimeoutMs ?? 10_000,
      requestTimeout: tuning.requestTimeoutMs ?? 120_000,
    },
  });
}
