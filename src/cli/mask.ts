// Keeps credentials out of output: user:password@ in URLs (with or without a scheme, passwords
// containing '@'), --creds values, S3 keys. Secrets are registered on the invocation's Logging
// as early as possible: from argv before commander parses it, from the raw config text before
// it is validated, and from the resolved spec; every log line, error and commander message is
// then redacted through it.
// A single value (a URL, a registry reference) is read by its authority, so a password holding
// quotes or other sub-delimiters is found whole; the config text is read as YAML, so quoting
// and escapes ('' inside single quotes, \" inside double) are undone before looking.
import { isScalar, parseAllDocuments, visit } from 'yaml';
import type { Logging } from '../log/logger.js';
import type { LayerSpec } from '../model/spec.js';
import { splitWords } from '../config/words.js';

const CRED_FLAGS = ['--creds', '--password', '--registry-token'];

/** Where secrets are registered: the invocation's Logging. */
export type Secrets = Pick<Logging, 'registerSecret'>;

// scheme://USERINFO@host — the userinfo runs to the last '@' before the host, so a password
// holding '@' is covered whole. The scheme starts where a word does (the lookbehind): without
// it, every letter of a long word began a scheme scanned to the word's end, which made a
// 300 KB value take minutes (bench/large-config.ts).
const SCHEME_USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)([^\s/'"]+)@(?=[^\s/'"@])/gi;
// user:password@host without a scheme (publish_registry: user:pass@registry:5000/ns).
// Run over one word at a time (bareUserinfos): on a whole text, each '=' or ',' of a long word
// began a match scanned to the word's end.
const BARE_USERINFO = /(^|[\s'"=,[(])([^\s/'"@:=,[(]+:[^\s/'"]*)@(?=[A-Za-z0-9[])/g;

/**
 * BARE_USERINFO's matches in `text` (index, start delimiter, userinfo), in linear time: each
 * word (a run without whitespace, quotes or '/') is searched only up to its last '@' that a
 * host follows, with the character before it (which decides whether a match may start there).
 */
function bareUserinfos(text: string): { index: number; lead: string; userinfo: string }[] {
  const out: { index: number; lead: string; userinfo: string }[] = [];
  for (const word of text.matchAll(/[^\s/'"]+/g)) {
    const w = word[0];
    let at = w.length - 1;
    while (at >= 0 && !(w[at] === '@' && /[A-Za-z0-9[]/.test(w[at + 1] ?? ''))) at = w.lastIndexOf('@', at - 1);
    if (at < 0) continue;
    const from = Math.max(0, word.index - 1);
    const window = text.slice(from, word.index + at + 2);
    for (const m of window.matchAll(BARE_USERINFO)) out.push({ index: from + m.index, lead: m[1] ?? '', userinfo: m[2] ?? '' });
  }
  return out;
}

function maskBare(text: string): string {
  let out = '';
  let last = 0;
  for (const m of bareUserinfos(text)) {
    out += `${text.slice(last, m.index)}${m.lead}***`;
    last = m.index + m.lead.length + m.userinfo.length;
  }
  return out + text.slice(last);
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The userinfo of one URL or registry reference, whatever its password holds: everything
 * before the last '@' of the authority (which ends at the first '/', '?' or '#'). A reference
 * without a scheme needs `user:password@`, so `name@sha256:…` is not mistaken for one.
 */
export function userinfoOf(value: string): { start: number; userinfo: string } | undefined {
  if (/\s/.test(value)) return undefined;
  const start = SCHEME.exec(value)?.[0].length ?? 0;
  const rest = value.slice(start);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at <= 0 || at === authority.length - 1) return undefined;
  const userinfo = authority.slice(0, at);
  if (start === 0 && !userinfo.includes(':')) return undefined;
  return { start, userinfo };
}

/** "http://user:pass@proxy:3128" -> "http://***@proxy:3128"; "u:p@reg/ns" -> "***@reg/ns"; in free text, what the patterns find. */
export function maskUrl(value: string): string {
  const one = userinfoOf(value);
  if (one !== undefined) return `${value.slice(0, one.start)}***${value.slice(one.start + one.userinfo.length)}`;
  return maskBare(value.replace(SCHEME_USERINFO, '$1***@'));
}

const decoded = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The userinfo, the password and its URL-decoded form. */
function userinfoSecrets(userinfo: string): string[] {
  const colon = userinfo.indexOf(':');
  const password = colon < 0 ? '' : userinfo.slice(colon + 1);
  return [userinfo, password, decoded(password)].filter((s) => s !== '');
}

/** Credentials in any text (a URL, a config file, a command line). */
export function credentialsIn(text: string): string[] {
  const found: string[] = [];
  const one = userinfoOf(text);
  if (one !== undefined) found.push(...userinfoSecrets(one.userinfo));
  for (const m of text.matchAll(SCHEME_USERINFO)) found.push(...userinfoSecrets(m[2] ?? ''));
  for (const m of bareUserinfos(text)) found.push(...userinfoSecrets(m.userinfo));
  // --creds user:pass / --creds=user:pass, also inside a registry_opts string.
  for (const m of text.matchAll(/--(?:creds|password|registry-token)(?:=|\s+)['"]?([^\s'"]+)/g)) {
    const value = m[1] ?? '';
    found.push(value, value.slice(value.indexOf(':') + 1));
  }
  return found.filter((s) => s !== '');
}

/** Masks the values of credential flags in an argv list (--creds u:p and --creds=u:p). */
export function maskArgs(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    const flag = CRED_FLAGS.find((f) => arg.startsWith(`${f}=`));
    if (flag !== undefined) return `${flag}=***`;
    return i > 0 && CRED_FLAGS.includes(args[i - 1] ?? '') ? '***' : arg;
  });
}

/** `user:password` values and their passwords. */
const withPasswords = (creds: readonly string[]): string[] => [...creds, ...creds.map((c) => c.slice(c.indexOf(':') + 1))];

function credentialValues(args: readonly string[]): string[] {
  return args.flatMap((arg, i) => {
    const flag = CRED_FLAGS.find((f) => arg.startsWith(`${f}=`));
    if (flag !== undefined) return [arg.slice(flag.length + 1)];
    return i > 0 && CRED_FLAGS.includes(args[i - 1] ?? '') ? [arg] : [];
  });
}

/** The words of an argument that holds several (`--registry-opts-push '--creds u:p'`), split as the config splits them. */
function wordsOf(arg: string): string[] {
  try {
    return splitWords(arg);
  } catch {
    return arg.split(/\s+/);
  }
}

/** Registers the credentials found in command-line arguments (before they are parsed). */
export function registerArgvSecrets(secrets: Secrets, argv: readonly string[]): void {
  const words = argv.flatMap(wordsOf);
  for (const secret of [...argv.flatMap(credentialsIn), ...withPasswords(credentialValues(argv)), ...withPasswords(credentialValues(words))]) secrets.registerSecret(secret);
}

/**
 * Credentials in a config file's text: in each YAML string as written (URLs, `--creds=…`, and
 * a sequence's `--creds` followed by its value), and in the raw text for what does not parse.
 */
export function textCredentials(text: string): string[] {
  const found = credentialsIn(text);
  for (const doc of parseAllDocuments(text, { prettyErrors: false })) {
    if (!('contents' in doc)) continue;
    visit(doc, {
      Scalar: (_key, node) => {
        if (typeof node.value !== 'string') return;
        const words = wordsOf(node.value);
        found.push(...credentialsIn(node.value), ...words.flatMap(credentialsIn), ...withPasswords(credentialValues(words)));
      },
      Seq: (_key, node) => {
        found.push(...withPasswords(credentialValues(node.items.map((i) => (isScalar(i) && typeof i.value === 'string' ? i.value : '')))));
      },
    });
  }
  return found.filter((s) => s !== '');
}

/** Registers the credentials found in a config file's raw text (before it is validated). */
export function registerTextSecrets(secrets: Secrets, text: string): void {
  for (const secret of textCredentials(text)) secrets.registerSecret(secret);
}

/**
 * Registers every secret the environment and the spec carry, so later log lines mask them. The
 * S3 keys are registered here, at the edge, for every command: the publishers that read them
 * (publish/s3/credentials.ts) have no Logging of their own to register them on.
 */
export function registerSecrets(secrets: Secrets, spec: LayerSpec | undefined, env: Readonly<Record<string, string | undefined>>): void {
  secrets.registerSecret(env.S3_SECRET);
  secrets.registerSecret(env.S3_ACCESS);
  secrets.registerSecret(env.IMAGE_BUILD_SIGN_PASSPHRASE);
  if (spec === undefined) return;
  const urls = [spec.proxy, spec.publishRegistry, spec.parent, spec.s3?.endpoint, ...spec.repos.flatMap((r) => [r.url, r.gpg])];
  registerArgvSecrets(secrets, [...urls.filter((u): u is string => u !== undefined), ...spec.registryOptsPull, ...spec.registryOptsPush]);
}

/** Registers the credentials in an argv list (`image-build sbom --registry-opts-pull`) and a reference's userinfo. */
export function registerArgSecrets(secrets: Secrets, args: readonly string[], ref?: string): void {
  for (const secret of [...(ref === undefined ? [] : credentialsIn(ref)), ...withPasswords(credentialValues(args))]) secrets.registerSecret(secret);
}
