// Pure argument builders for `skopeo copy` into a registry: a signed copy of an OCI layout to a
// digest-only reference (nothing tagged), then the tag. Secrets never appear here: the
// passphrase is a file path, registry passwords are in an --authfile (withAuthFile).
import { sharedRegistryOpts } from './argv.js';

/** What a signed copy needs. */
export interface SignedCopy {
  /** Local OCI layout directory and the image's name in it (`oci:DIR:NAME`). */
  readonly layout: string;
  readonly name: string;
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

/** buildah's registry words as `skopeo copy` destination options (--tls-verify -> --dest-tls-verify ...). */
export function destinationOpts(opts: readonly string[]): string[] {
  return sharedRegistryOpts(opts)
    .filter((w, i, all) => !/^--registries-conf(=|$)/.test(w) && !/^--registries-conf$/.test(all[i - 1] ?? ''))
    .map((w) => w.replace(/^--(tls-verify|creds|cert-dir|authfile)(?==|$)/, '--dest-$1'));
}

function globalOpts(registriesD: string | undefined): string[] {
  return registriesD === undefined ? [] : ['--registries.d', registriesD];
}

/** Signs while copying; `--preserve-digests` makes skopeo fail rather than change the manifest the digest names. */
export function signedCopyArgs(c: SignedCopy, opts: readonly string[]): string[] {
  const passphrase = c.passphraseFile === undefined ? [] : ['--sign-passphrase-file', c.passphraseFile];
  return [
    'skopeo', ...globalOpts(c.registriesD), 'copy', '--retry-times', '1', '--preserve-digests', ...destinationOpts(opts),
    '--sign-by', c.signBy, ...passphrase, '--sign-identity', c.identity,
    '--', `oci:${c.layout}:${c.name}`, `docker://${c.destination}`,
  ];
}

/** Tags what signedCopyArgs wrote: the same manifest bytes (the blobs are already there), no new signature. */
export function tagCopyArgs(layout: string, name: string, ref: string, opts: readonly string[], registriesD?: string): string[] {
  return ['skopeo', ...globalOpts(registriesD), 'copy', '--retry-times', '1', '--preserve-digests', ...destinationOpts(opts), '--', `oci:${layout}:${name}`, `docker://${ref}`];
}
