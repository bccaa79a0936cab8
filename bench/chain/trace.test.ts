import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify, stepTimes } from './trace.js';

test('traced commands map to steps', () => {
  assert.equal(classify('buildah from --tls-verify=false --name x 127.0.0.1:5000/demo/rocky-base:9.5'), 'pull');
  assert.equal(classify('buildah from --name x scratch'), 'buildah-other');
  assert.equal(classify('buildah run c -- bash -c dnf install -y vim'), 'install');
  assert.equal(classify('buildah run --isolation chroot c -- dnf -y install vim'), 'install');
  assert.equal(classify('buildah run c -- bash -c useradd -m testuser'), 'cmds');
  assert.equal(classify('dnf install -y --installroot /m kernel'), 'install');
  assert.equal(classify('rpm --root=/m --import http://x/key'), 'install');
  assert.equal(classify('buildah commit c rocky-base:9.5'), 'commit');
  assert.equal(classify('buildah push --tls-verify=false a b'), 'push');
  assert.equal(classify('mksquashfs /m /t/rootfs'), 'squash');
  assert.equal(classify('buildah mount c'), 'buildah-other');
});

test('step times: each call counted, rest is the wall time no call covered', () => {
  const e = (start: number, end: number, argv: string): { start: number; end: number; code: number; argv: string } => ({ start, end, code: 0, argv });
  const t = stepTimes([e(1, 3, 'buildah commit c x'), e(2, 6, 'buildah push a b'), e(8, 9, 'mksquashfs a b'), e(50, 60, 'buildah push late')], 0, 10);
  assert.equal(t.commit, 2);
  assert.equal(t.push, 4);
  assert.equal(t.squash, 1);
  // covered: [1,6] and [8,9] = 6 s of 10; the call at 50 s belongs to another command.
  assert.equal(t.rest, 4);
});
