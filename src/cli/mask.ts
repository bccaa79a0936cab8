// Keeps credentials out of output: user:password@ in URLs, --creds values, S3 keys.
import { registerSecret } from '../log/logger.js';
import type { LayerSpec } from '../config/types.js';

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@/i;
const CRED_FLAGS = ['--creds', '--password', '--registry-token'];

/** "http://user:pass@proxy:3128" -> "http://***@proxy:3128". */
export function maskUrl(value: string): string {
  return value.replace(USERINFO, '$1***@');
}

/** Masks the values of credential flags in an argv list (--creds u:p and --creds=u:p). */
export function maskArgs(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    const flag = CRED_FLAGS.find((f) => arg.startsWith(`${f}=`));
    if (flag !== undefined) return `${flag}=***`;
    return i > 0 && CRED_FLAGS.includes(args[i - 1] ?? '') ? '***' : arg;
  });
}

function credentialValues(args: readonly string[]): string[] {
  return args.flatMap((arg, i) => {
    const flag = CRED_FLAGS.find((f) => arg.startsWith(`${f}=`));
    if (flag !== undefined) return [arg.slice(flag.length + 1)];
    return i > 0 && CRED_FLAGS.includes(args[i - 1] ?? '') ? [arg] : [];
  });
}

function urlSecrets(value: string | undefined): string[] {
  const userinfo = value === undefined ? undefined : USERINFO.exec(value)?.[2];
  if (userinfo === undefined) return [];
  const password = userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : '';
  const decoded = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return [userinfo, password, decoded(password)].filter((s) => s !== '');
}

/** Registers every secret the environment and the spec carry, so later log lines mask them. */
export function registerSecrets(spec: LayerSpec | undefined, env: Readonly<Record<string, string | undefined>>): void {
  registerSecret(env.S3_SECRET);
  registerSecret(env.S3_ACCESS);
  if (spec === undefined) return;
  const urls = [spec.proxy, spec.publishRegistry, spec.parent, spec.s3?.endpoint];
  const creds = [...credentialValues(spec.registryOptsPull), ...credentialValues(spec.registryOptsPush)];
  for (const secret of [...urls.flatMap(urlSecrets), ...creds, ...creds.map((c) => c.slice(c.indexOf(':') + 1))]) registerSecret(secret);
}

/** Registers the credentials in an argv list (`image-build sbom --registry-opts-pull`) and a reference's userinfo. */
export function registerArgSecrets(args: readonly string[], ref?: string): void {
  const creds = credentialValues(args);
  for (const secret of [...urlSecrets(ref), ...creds, ...creds.map((c) => c.slice(c.indexOf(':') + 1))]) registerSecret(secret);
}
