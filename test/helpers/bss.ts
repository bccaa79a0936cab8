// A stand-in for OpenCHAMI's boot script service on 127.0.0.1: it holds one set of boot
// parameters (the body `ochami bss boot params set` sends) and answers GET /boot/v1/bootscript
// with the iPXE script BSS renders from them (cmd/boot-script-service/default_api.go,
// buildBootScript and buildParams: `initrd=initrd` first, named kernel and initrd, retry by
// chaining back). Written from BSS's behaviour, independently of src/bootconfig/render.ts, so a
// network boot through it checks the generated parameters, not our own script. Every request is
// recorded, and waiters are told of each, so a test waits on a request instead of sleeping.
import { createServer, type Server } from 'node:http';

export interface BssParams {
  readonly kernel: string;
  readonly initrd?: string;
  readonly params?: string;
  readonly macs?: readonly string[];
}

export interface BssServer {
  readonly url: string;
  readonly port: number;
  /** "GET /path 200", in order. */
  readonly requests: readonly string[];
  /** Resolves with the first request line matching `re` (also one already recorded). */
  waitForRequest(re: RegExp): Promise<string>;
  setParams(p: BssParams): void;
  close(): Promise<void>;
}

/** The script BSS serves for these parameters; `chain` is the URL a failed boot retries from. */
export function bssBootScript(p: BssParams, chain: string): string {
  // buildParams: an existing initrd=... is dropped and initrd=initrd put first when there is an initrd.
  const rest = (p.params ?? '').split(' ').filter((a) => a !== '' && !(p.initrd !== undefined && a.startsWith('initrd')));
  const params = [...(p.initrd === undefined ? [] : ['initrd=initrd']), ...rest].join(' ');
  let script = '#!ipxe\n';
  script += `kernel --name kernel ${p.kernel} ${params} || goto boot_retry\n`;
  if (p.initrd !== undefined) script += `initrd --name initrd ${p.initrd} || goto boot_retry\n`;
  script += 'boot || goto boot_retry\n:boot_retry\n';
  return `${script}sleep 30\nchain ${chain}\n`;
}

/** `advertise`: the host the guest reaches this server at (QEMU's user network: 10.0.2.2), used in the retry chain. */
export async function startBss(advertise = '127.0.0.1'): Promise<BssServer> {
  const requests: string[] = [];
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  let params: BssParams | undefined;
  let self = '';
  const record = (line: string): void => {
    requests.push(line);
    for (const w of waiters.filter((x) => x.re.test(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/boot/v1/bootscript' && params !== undefined) {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(bssBootScript(params, `${self}/boot/v1/bootscript`));
    } else {
      res.writeHead(404).end();
    }
    record(`${req.method ?? '?'} ${path} ${res.statusCode}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  self = `http://${advertise}:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    waitForRequest: (re) => {
      const seen = requests.find((l) => re.test(l));
      return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ re, resolve }));
    },
    setParams: (p) => {
      params = p;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
