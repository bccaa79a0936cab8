// options.proxy / --proxy: one URL, checked here once. It reaches curl, dnf, zypper and apt
// through http(s)_proxy variables (tools/proxy.ts), and used to be pasted into a quoted apt
// option, so nothing but a plain URL may pass: a scheme the tools all read, a host, no
// whitespace, quotes, backslashes or control characters. The message never repeats the value:
// it may hold a password.
import { originOf, report, type ResolveContext } from './resolve-context.js';
import { emptyToUndefined } from './resolve-publish.js';

const SCHEMES = ['http:', 'https:', 'socks5:', 'socks5h:'];

/** Why `value` is not a usable proxy URL, or undefined when it is. */
export function proxyProblem(value: string): string | undefined {
  const shape = 'expected a proxy URL like http://[user:password@]host:port';
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\s"'\\`\u0000-\u001f\u007f]/.test(value)) return `${shape}, without spaces, quotes, backslashes or control characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${shape} (with its scheme)`;
  }
  if (!SCHEMES.includes(url.protocol)) return `${shape}: the scheme must be http, https, socks5 or socks5h`;
  if (url.hostname === '') return `${shape}: the host is missing`;
  return undefined;
}

export function resolveProxy(ctx: ResolveContext): string | undefined {
  const proxy = ctx.cli.proxy ?? emptyToUndefined(ctx.options.proxy);
  if (proxy === undefined) return undefined;
  const problem = proxyProblem(proxy);
  if (problem !== undefined) report(ctx, originOf(ctx, 'proxy', 'proxy'), problem);
  return proxy;
}
