// Throwaway GPG keyrings for signing tests: a key made with `gpg --quick-gen-key` under a
// private GNUPGHOME, its fingerprint and exported public key. stop() ends the keyring's
// gpg-agent (started by gpg on first use) and removes the directory.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec } from './proc.js';
import { makeTempDir } from './tmp.js';

export interface GpgKey {
  /** The keyring (GNUPGHOME). */
  readonly home: string;
  /** Full fingerprint, 40 hex digits. */
  readonly fingerprint: string;
  /** The exported public key (binary keyring file, what policy.json's keyPath reads). */
  readonly publicKey: string;
  /** A file whose first line is the passphrase. */
  readonly passphraseFile: string;
  /** Forgets cached passphrases (gpg-agent caches them), so the next signature asks again. */
  forget(): Promise<void>;
  stop(): Promise<void>;
}

const TIMEOUT = 60_000;

/** Makes an ed25519 signing key protected by `passphrase` in a new keyring. */
export async function makeGpgKey(name: string, passphrase: string): Promise<GpgKey> {
  const dir = await makeTempDir('image-build-gpg-');
  const home = join(dir.path, 'gnupg');
  const env = { GNUPGHOME: home };
  await exec(['mkdir', '-m', '700', home]);
  const passphraseFile = join(dir.path, 'passphrase');
  await writeFile(passphraseFile, `${passphrase}\n`, { mode: 0o600 });
  await chmod(passphraseFile, 0o600);
  await exec(['gpg', '--batch', '--pinentry-mode', 'loopback', '--passphrase-file', passphraseFile, '--quick-gen-key', `${name} <${name}@example.org>`, 'ed25519', 'sign', 'never'], { env, timeoutMs: TIMEOUT });
  const listing = (await exec(['gpg', '--batch', '--list-secret-keys', '--with-colons'], { env, timeoutMs: TIMEOUT })).stdout;
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listing)?.[1];
  if (fingerprint === undefined) throw new Error(`gpg listed no fingerprint:\n${listing}`);
  const publicKey = join(dir.path, 'public.gpg');
  await exec(['gpg', '--batch', '--output', publicKey, '--export', fingerprint], { env, timeoutMs: TIMEOUT });
  const forget = async (): Promise<void> => {
    await exec(['gpgconf', '--kill', 'gpg-agent'], { env, timeoutMs: TIMEOUT });
  };
  return {
    home, fingerprint, publicKey, passphraseFile, forget,
    async stop() {
      await forget();
      await dir.cleanup();
    },
  };
}
