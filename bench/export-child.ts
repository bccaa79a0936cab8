// One measured run for bench/export.ts, in its own process so its peak RSS is its own:
//   export <root> <endpoint> <bucket> <compression> [level]   squash + hash + upload (publish_s3)
//   upload <file> <endpoint> <bucket>                           upload one file (memory check)
// Prints one JSON line: { seconds, nodeMaxRssMiB, bytes }.
import { stat } from 'node:fs/promises';
import { CleanupStack } from '../src/exec/cleanup.js';
import type { SquashfsCompression } from '../src/model/spec.js';
import { sha256File } from '../src/fs/hash.js';
import { createS3Client } from '../src/publish/s3/client.js';
import { createS3Publisher } from '../src/publish/s3/index.js';
import { uploadObject } from '../src/publish/s3/upload.js';
import { createTurns } from '../src/publish/turns.js';
import { makeLayer, makeSpec } from '../test/helpers/layer.js';
import { stderrLogger } from '../test/helpers/logs.js';

const [mode, path, endpoint, bucket, compression, level] = process.argv.slice(2);
if (mode === undefined || path === undefined || endpoint === undefined || bucket === undefined) {
  throw new Error('usage: export-child.ts export|upload PATH ENDPOINT BUCKET [COMPRESSION [LEVEL]]');
}
// This child is a process edge, as bin/image-build.js is for the CLI: the same quiet SDK, and
// its environment (S3 keys, TMPDIR from bench/export.ts) is the run's.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const logger = stderrLogger('bench', 'WARNING');
const ctx = { logger, cleanup: new CleanupStack(logger), signal: new AbortController().signal, env: process.env, turns: createTurns() };
const target = { endpoint, bucket, prefix: `bench/${compression ?? 'upload'}/`, manifest: false, region: 'us-east-1' };
const started = process.hrtime.bigint();
let bytes = 0;
try {
  if (mode === 'export') {
    const spec = makeSpec({
      name: 'bench',
      s3: target,
      squashfs: { compression: compression as SquashfsCompression, level: level === undefined ? undefined : Number(level) },
    });
    const pub = createS3Publisher(spec);
    await pub.check(ctx);
    await pub.publish(makeLayer(spec, path), ctx);
  } else {
    const size = (await stat(path)).size;
    const sha256 = await sha256File(path);
    const client = createS3Client(target, { accessKeyId: process.env.S3_ACCESS ?? '', secretAccessKey: process.env.S3_SECRET ?? '' });
    await uploadObject(
      client,
      { ...target, key: 'bench/big', path, size, sha256, contentType: 'application/octet-stream', metadata: { sha256 } },
      ctx,
    );
    client.destroy();
    bytes = size;
  }
} finally {
  await ctx.cleanup.releaseAll();
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
// resourceUsage().maxRSS is in KiB and covers this process only (not mksquashfs).
console.log(JSON.stringify({ seconds, nodeMaxRssMiB: process.resourceUsage().maxRSS / 1024, bytes }));
