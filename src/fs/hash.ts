// Streaming sha256 of a file: constant memory whatever its size.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function sha256File(path: string): Promise<string> {
  return (await sha256Stream(createReadStream(path, { highWaterMark: 1 << 20 }))).sha256;
}

/** The sha256 and byte count of a stream (an S3 object's body), chunk by chunk. */
export async function sha256Stream(stream: AsyncIterable<unknown>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Uint8Array;
    hash.update(bytes);
    size += bytes.byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
