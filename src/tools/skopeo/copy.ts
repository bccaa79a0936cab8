// Pure argument builders for `skopeo copy` into a registry: a signed copy of an OCI layout (a
// push) or of a registry image (a promote) to a digest-only reference (nothing tagged), then the tag. Secrets never appear here: the
// passphrase is a file path, registry passwords are in an --authfile (withAuthFile).
import { copyOptionWords, sharedRegistryOpts } from './argv.js';

/** What a signed copy needs. */
export interface SignedCopy {
  /** What is signed: a local OCI layout (`oci:DIR:NAME`), or a registry image by digest (`docker://host/repo@sha256:...`, copied as stored, `--all`). */
  readonly source: string;
  /** The destination, `host/repo@sha256:...` (no transport). */
  readonly destination: string;
  /** The docker reference the signature is made for (`host/repo:tag`). */
  readonly identity: string;
  /** The GPG fingerprint. */
  readonly signBy: string;
  /** A file holding the passphrase. */
  readonly passphraseFile?: string;
  /** A registries.d directory of the run's own (where signatures are written). */
  readonly registriesD?: string;
}

/** buildah's registry words as `skopeo copy` options of one side (--tls-verify -> --dest-tls-verify ...); --registries-conf dropped. */
function sideOpts(opts: readonly string[], side: 'src' | 'dest'): string[] {
  return sharedRegistryOpts(opts)
    .filter((w, i, all) => !/^--registries-conf(=|$)/.test(w) && !/^--registries-conf$/.test(all[i - 1] ?? ''))
    .map((w) => w.replace(/^--(tls-verify|creds|cert-dir|authfile)(?==|$)/, `--${side}-$1`));
}

/** buildah's registry words as `skopeo copy` destination options (--tls-verify -> --dest-tls-verify ...). */
export function destinationOpts(opts: readonly string[]): string[] {
  return sideOpts(opts, 'dest');
}

/** What `verifiedCopyArgs` needs: the image, the policy and registries.d to check it under, and the local dir it is copied to. */
export interface VerifiedCopy {
  readonly ref: string;
  readonly policy: string;
  readonly registriesD?: string;
  readonly dir: string;
}

/**
 * `skopeo copy --all` of a registry image to a local `dir:` under `policy`: skopeo checks the
 * signature (before any blob is copied) and every blob's digest; the manifest bytes are kept
 * (`--preserve-digests`), so the dir's manifest.json has the registry's digest.
 */
export function verifiedCopyArgs(c: VerifiedCopy, opts: readonly string[]): string[] {
  const conf = sharedRegistryOpts(opts).filter((w, i, all) => /^--registries-conf(=|$)/.test(w) || /^--registries-conf$/.test(all[i - 1] ?? ''));
  return [
    'skopeo', '--policy', c.policy, ...globalOpts(c.registriesD), ...conf, 'copy', '--all', '--preserve-digests', '--retry-times', '1', ...sideOpts(opts, 'src'),
    '--', `docker://${c.ref.replace(/^docker:\/\//, '')}`, `dir:${c.dir}`,
  ];
}

function globalOpts(registriesD: string | undefined): string[] {
  return registriesD === undefined ? [] : ['--registries.d', registriesD];
}

/**
 * Signs while copying; `--preserve-digests` makes skopeo fail rather than change the manifest
 * the digest names. `--all`: an image index is copied with every image in it, and skopeo 1.9
 * signs the index and each image for the identity (a single image: no difference).
 */
export function signedCopyArgs(c: SignedCopy, opts: readonly string[]): string[] {
  const passphrase = c.passphraseFile === undefined ? [] : ['--sign-passphrase-file', c.passphraseFile];
  const remote = c.source.startsWith('docker://');
  const words = remote ? copyOptionWords(opts) : { global: [], local: destinationOpts(opts) };
  return [
    'skopeo', ...globalOpts(c.registriesD), ...words.global, 'copy', '--all', '--retry-times', '1', '--preserve-digests', ...words.local,
    '--sign-by', c.signBy, ...passphrase, '--sign-identity', c.identity,
    '--', c.source, `docker://${c.destination}`,
  ];
}

/** Tags what signedCopyArgs wrote (`source`: the same `oci:DIR:NAME`): the same manifest bytes (the blobs are already there), no new signature. */
export function tagCopyArgs(source: string, ref: string, opts: readonly string[], registriesD?: string): string[] {
  return ['skopeo', ...globalOpts(registriesD), 'copy', '--all', '--retry-times', '1', '--preserve-digests', ...destinationOpts(opts), '--', source, `docker://${ref}`];
}
