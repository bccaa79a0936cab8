// Who signs a layer's registry images, read from the run's environment (never from a config
// file, never from a command line):
//   IMAGE_BUILD_SIGN_BY               the GPG key's fingerprint (40 hex digits) in $GNUPGHOME
//   IMAGE_BUILD_SIGN_PASSPHRASE_FILE  a file whose first line is the key's passphrase, or
//   IMAGE_BUILD_SIGN_PASSPHRASE       the passphrase itself (masked in every log line; written
//                                     to a 0600 file skopeo reads, so it is never in an argv)
//   IMAGE_BUILD_SIGNATURES_DIR        where skopeo writes the signatures (a lookaside
//                                     directory the site serves); unset: the host's own
//                                     registries.d decides (lookaside-staging)
// GPG "simple signing", not sigstore: Debian 12's skopeo, podman and buildah are built with
// sigstore disabled ("Debian-local change: sigstore disabled") both for signing and verifying,
// so a sigstore signature could not be checked by the tools the site's hosts have (docs/signing.md).
import { isAbsolute } from 'node:path';
import { ConfigError } from '../../errors/index.js';
import type { Env } from '../../model/env.js';

export interface ImageSigning {
  /** The GPG fingerprint, upper case. */
  readonly signBy: string;
  /** Absolute path of a passphrase file, when the passphrase comes from a file. */
  readonly passphraseFile?: string;
  /** The passphrase itself, when it comes from IMAGE_BUILD_SIGN_PASSPHRASE. */
  readonly passphrase?: string;
  /** Absolute path of the lookaside directory skopeo writes signatures to. */
  readonly signaturesDir?: string;
}

const FINGERPRINT = /^(0x)?[0-9A-Fa-f]{40}$/;

function absolutePath(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!isAbsolute(value)) throw new ConfigError(`${name} must be an absolute path, not '${value}'`);
  return value;
}

/**
 * The signing settings in `env`, or undefined when IMAGE_BUILD_SIGN_BY is unset (nothing is
 * signed). Throws ConfigError (exit 2) for a malformed fingerprint, a relative path, or both
 * passphrase variables at once. Pure: the files are read by skopeo.
 */
export function imageSigning(env: Env): ImageSigning | undefined {
  const signBy = env.IMAGE_BUILD_SIGN_BY?.trim() ?? '';
  if (signBy === '') return undefined;
  if (!FINGERPRINT.test(signBy)) {
    throw new ConfigError('IMAGE_BUILD_SIGN_BY must be the signing key\'s full GPG fingerprint (40 hex digits, `gpg --list-secret-keys --with-colons` fpr field)');
  }
  const passphraseFile = absolutePath(env, 'IMAGE_BUILD_SIGN_PASSPHRASE_FILE');
  const passphrase = env.IMAGE_BUILD_SIGN_PASSPHRASE === '' ? undefined : env.IMAGE_BUILD_SIGN_PASSPHRASE;
  if (passphraseFile !== undefined && passphrase !== undefined) {
    throw new ConfigError('set IMAGE_BUILD_SIGN_PASSPHRASE_FILE or IMAGE_BUILD_SIGN_PASSPHRASE, not both');
  }
  const lookaside = signaturesDir(env);
  return {
    signBy: signBy.replace(/^0x/, '').toUpperCase(),
    ...(passphraseFile === undefined ? {} : { passphraseFile }),
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(lookaside === undefined ? {} : { signaturesDir: lookaside }),
  };
}

/** IMAGE_BUILD_SIGNATURES_DIR (absolute), undefined when unset; set without a key it still says where the run's signatures are. */
export function signaturesDir(env: Env): string | undefined {
  return absolutePath(env, 'IMAGE_BUILD_SIGNATURES_DIR');
}

/** The registries.d file that sends `host`'s signatures to `dir` (YAML; pure). Readers get the same directory as their lookaside. */
export function registriesDYaml(host: string, dir: string): string {
  const url = `file://${dir}`;
  return ['docker:', `  ${JSON.stringify(host)}:`, `    lookaside-staging: ${JSON.stringify(url)}`, `    lookaside: ${JSON.stringify(url)}`, ''].join('\n');
}

/**
 * IMAGE_BUILD_PARENT_SIGNED_BY: the public key (an exported GPG keyring file) every parent
 * pulled from a registry must be signed with; undefined when unset. Throws ConfigError for a
 * relative path.
 */
export function parentSigningKey(env: Env): string | undefined {
  return absolutePath(env, 'IMAGE_BUILD_PARENT_SIGNED_BY');
}

/**
 * The policy.json (containers-policy.json(5)) for pulling parents and for `verify REF`: an image from any registry
 * must carry a signature by `keyPath` made for the pulled reference (or its digest); other
 * transports (local storage) as buildah's default. Pure.
 */
export function parentPolicyJson(keyPath: string): string {
  const signed = { type: 'signedBy', keyType: 'GPGKeys', keyPath, signedIdentity: { type: 'matchRepoDigestOrExact' } };
  return `${JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }], transports: { docker: { '': [signed] } } }, null, 2)}\n`;
}
