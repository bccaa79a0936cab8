// A second process for the SHA256SUMS lock test: `node --import tsx sums-writer.ts DIR FILE...`
// prints "ready", waits for "go" on stdin (so that two writers start together), then sets the
// SHA256SUMS line of each FILE (in DIR) in turn through the dir publisher's updateSums, one
// rewrite per file, logging to stdout, and prints "done".
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CleanupStack } from '../../src/exec/cleanup.js';
import { createLogging } from '../../src/log/logger.js';
import { updateSums } from '../../src/publish/dir/sums.js';
import { createTurns } from '../../src/publish/turns.js';

const [dir, ...files] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: sums-writer.ts DIR FILE...');
const logger = createLogging({ level: 'INFO', format: 'text', sink: { write: (l) => process.stdout.write(`${l}\n`) } }).logger('sums-writer');
const cleanup = new CleanupStack(logger);
const turns = createTurns();

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) if (line.trim() === 'go') break;
lines.close();
try {
  for (const f of files) {
    const sha256 = createHash('sha256').update(await readFile(join(dir, f))).digest('hex');
    await updateSums(dir, [{ key: f, sha256 }], { cleanup, logger, turns });
  }
} finally {
  await cleanup.releaseAll();
}
process.stdout.write('done\n');
