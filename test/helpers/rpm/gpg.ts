// Throwaway OpenPGP keys (RSA 2048, no passphrase) in a private GNUPGHOME, used to sign the
// fixture RPMs (rpmsign) and repomd.xml (detached, for zypper). HOME points at the scratch dir
// too, so neither gpg nor rpm touch the host's ~/.gnupg or ~/.rpmdb.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec, type ExecResult } from '../proc.js';

export interface SigningKey {
  /** Long key id, 16 lower-case hex chars. */
  readonly id: string;
  /** ASCII-armored public key. */
  readonly armored: string;
}

export interface Keyring {
  readonly home: string;
  /** Creates a key for `uid` and returns its id and public key. */
  createKey(uid: string): Promise<SigningKey>;
  /** Signs RPM files in place with rpmsign --addsign. */
  signRpms(keyId: string, files: readonly string[]): Promise<void>;
  /** Writes FILE.asc, an armored detached signature of file. */
  detachSign(keyId: string, file: string): Promise<void>;
  /** Stops gpg-agent and deletes the keyring (secret keys never reach the cache). */
  dispose(): Promise<void>;
}

/** Creates an empty keyring in a short /tmp path (gpg-agent's socket path must stay short). */
export async function openKeyring(): Promise<Keyring> {
  const home = await mkdtemp('/tmp/ib-gpg-');
  const env = { GNUPGHOME: home, HOME: home, LC_ALL: 'C' };
  const gpg = (args: string[]): Promise<ExecResult> =>
    exec(['gpg', '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { env });
  await writeFile(join(home, 'gpg.conf'), 'no-auto-key-locate\nno-auto-key-retrieve\n');
  return {
    home,
    createKey: async (uid) => {
      await gpg(['--quick-gen-key', uid, 'rsa2048', 'sign', 'never']);
      const { stdout } = await gpg(['--with-colons', '--list-keys', uid]);
      const pub = stdout.split('\n').find((l) => l.startsWith('pub:'));
      const id = pub?.split(':')[4]?.toLowerCase();
      if (!id) throw new Error(`gpg did not list the new key ${uid}:\n${stdout}`);
      const armored = (await gpg(['--armor', '--export', id])).stdout;
      return { id, armored };
    },
    signRpms: async (keyId, files) => {
      const defs = {
        _gpg_name: keyId,
        _gpg_path: home,
        __gpg: '/usr/bin/gpg',
        _dbpath: join(home, 'rpmdb'),
      };
      const argv = ['rpmsign', '--addsign', ...Object.entries(defs).flatMap(([k, v]) => ['--define', `${k} ${v}`])];
      await exec([...argv, ...files], { env, timeoutMs: 15 * 60_000 });
    },
    detachSign: async (keyId, file) => {
      await gpg(['--yes', '--armor', '--local-user', keyId, '--detach-sign', '--output', `${file}.asc`, file]);
    },
    dispose: async () => {
      await exec(['gpgconf', '--kill', 'gpg-agent'], { env, allowFail: true });
      await rm(home, { recursive: true, force: true });
    },
  };
}
