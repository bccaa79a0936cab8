// A boot configuration's input for unit tests: a dracut layer published to S3 (bootconfig/).
import type { BootConfigInput } from '../../src/bootconfig/document.js';
import { DEFAULT_BOOT } from '../../src/model/spec.js';

export const sha = (c: string): string => c.repeat(64);
export const INPUT: BootConfigInput = {
  name: 'compute-base',
  tag: '9.5',
  arch: 'x86_64',
  kernel: { key: 'efi-images/compute/base/vmlinuz-5.14.0', size: 10, sha256: sha('a') },
  initramfs: { key: 'efi-images/compute/base/initramfs-5.14.0.img', size: 20, sha256: sha('b') },
  rootfs: { key: 'compute/base/rocky9.5-compute-base-9.5', size: 30, sha256: sha('c') },
  detected: 'dracut',
  baseUrl: 'http://s3.cluster:9090/boot-images/',
  boot: DEFAULT_BOOT,
};
