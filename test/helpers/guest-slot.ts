// One QEMU guest at a time across the whole suite. The integration files run two at a time, and
// a guest under TCG (no usable KVM here) wants both cores: two guests at once starved each other
// until a guest's udev came up minutes late and its serial getty never started (a netboot that
// timed out at the multi-user target). The slot is a flock(1) on one file: the kernel hands it to
// the next waiter the moment it is free (an event, not a poll), and it is released when the
// holder's stdin closes, so a test process that dies frees it too.
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCK_FILE = join(tmpdir(), 'image-build-tests-qemu-guest.lock');

/**
 * Runs `fn` while holding the suite's one guest slot; waits at most `waitS` seconds for it
 * (then rejects). The holder is killed after `waitS` plus `holdS` seconds whatever happens.
 */
export async function withGuestSlot<T>(fn: () => Promise<T>, waitS = 1800, holdS = 1800): Promise<T> {
  const holder = spawn('flock', ['--exclusive', '--timeout', String(waitS), LOCK_FILE, 'sh', '-c', 'echo held; exec cat'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const backstop = setTimeout(() => holder.kill('SIGKILL'), (waitS + holdS) * 1000);
  const closed = new Promise<void>((done) => holder.on('close', () => done()));
  try {
    await new Promise<void>((held, failed) => {
      let stderr = '';
      holder.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      holder.stdout.setEncoding('utf8').on('data', (s: string) => s.includes('held') && held());
      holder.on('error', failed);
      holder.on('close', (code) => failed(new Error(`no QEMU guest slot (flock ${LOCK_FILE} exited ${code}): ${stderr.trim()}`)));
    });
    return await fn();
  } finally {
    holder.stdin.end();
    await closed;
    clearTimeout(backstop);
  }
}
