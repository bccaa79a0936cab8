// Pure argument builders for gpg and gpgv: a detached signature over a file (SHA256SUMS), made
// with the key in $GNUPGHOME; its check against an exported public key. The passphrase is a
// file path (--passphrase-file with loopback pinentry), never a value on the command line.

/** What signing a file needs. */
export interface DetachedSign {
  /** The key's fingerprint. */
  readonly signBy: string;
  readonly passphraseFile?: string;
  /** The file to sign, and where the binary signature goes. */
  readonly input: string;
  readonly output: string;
}

/** An ASCII-armoured detached signature (text: it goes through the same atomic writes as SHA256SUMS). */
export function detachSignArgs(s: DetachedSign): string[] {
  const passphrase = s.passphraseFile === undefined ? [] : ['--pinentry-mode', 'loopback', '--passphrase-file', s.passphraseFile];
  return ['gpg', '--batch', '--yes', '--no-tty', ...passphrase, '--local-user', s.signBy, '--output', s.output, '--armor', '--detach-sign', '--', s.input];
}

/** gpgv (every Debian and RHEL-family host has it) with one keyring file: exit 0 only for a good signature by a key in it. */
export function gpgvArgs(keyring: string, signature: string, file: string): string[] {
  return ['gpgv', '--keyring', keyring, '--', signature, file];
}
