// The layer's proxy reaches programs through the environment only: never a file in the image
// (dnf repo files, apt.conf.d) and never a command-line argument of a host-side program
// (visible to every local user in ps). curl, dnf (librepo), zypper and apt all read these.
// Inside the container the variables travel as `buildah run --env` (see docs/config.md).
export function proxyEnv(proxy: string | undefined): Record<string, string> {
  if (proxy === undefined) return {};
  return { http_proxy: proxy, https_proxy: proxy, HTTP_PROXY: proxy, HTTPS_PROXY: proxy };
}
