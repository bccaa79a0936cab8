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

/** A registration the server accepted or refused: the method, path, Authorization header and parsed body. */
export interface Registration {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly body: unknown;
  readonly status: number;
}

export interface BssServer {
  readonly url: string;
  readonly port: number;
  /** "GET /path 200", in order. */
  readonly requests: readonly string[];
  /** Resolves with the first request line matching `re` (also one already recorded). */
  waitForRequest(re: RegExp): Promise<string>;
  setParams(p: BssParams): void;
  /** PUT /boot/v1/bootparameters and POST /bootconfigurations received so far. */
  readonly registrations: readonly Registration[];
  /** The bearer token registrations must carry (default: none needed). */
  requireToken(token: string): void;
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
// Field names of OpenCHAMI's definitions (bss pkg/bssTypes/types.go BootParams; boot-service
// apis/boot.openchami.io/v1 BootConfigurationSpec and cmd/server CreateBootConfigurationRequest).
const BSS_FIELDS = ['hosts', 'macs', 'nids', 'params', 'kernel', 'initrd', 'cloud-init'];
const SPEC_FIELDS = ['hosts', 'macs', 'nids', 'groups', 'profile', 'kernel', 'initrd', 'params', 'priority'];
const MAC = /^([0-9A-Fa-f]{2}:){5}[0-9a-fA-F]{2}$/;

/** Why a registration body is not what the service takes, or undefined. */
export function bodyProblem(path: string, body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'not a JSON object';
  const o = body as Record<string, unknown>;
  const fields = path === '/bootconfigurations' ? Object.keys(o.spec ?? {}) : Object.keys(o);
  const known = path === '/bootconfigurations' ? SPEC_FIELDS : BSS_FIELDS;
  const unknown = fields.filter((f) => !known.includes(f));
  if (unknown.length > 0) return `unknown fields ${unknown.join(', ')}`;
  if (path === '/bootconfigurations' && Object.keys(o).some((k) => !['metadata', 'spec', 'labels', 'annotations'].includes(k))) return 'unknown top-level fields';
  const spec = (path === '/bootconfigurations' ? o.spec : o) as Record<string, unknown>;
  if (typeof spec.kernel !== 'string' || spec.kernel === '') return 'kernel is required';
  if (((spec.macs ?? []) as string[]).some((m) => !MAC.test(m))) return 'invalid MAC address';
  if (path === '/bootconfigurations' && typeof (o.metadata as { name?: unknown } | undefined)?.name !== 'string') return 'metadata.name is required';
  return undefined;
}

export async function startBss(advertise = '127.0.0.1'): Promise<BssServer> {
  const requests: string[] = [];
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  let params: BssParams | undefined;
  let self = '';
  let token: string | undefined;
  const registrations: Registration[] = [];
  const record = (line: string): void => {
    requests.push(line);
    for (const w of waiters.filter((x) => x.re.test(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if ((req.method === 'PUT' && path === '/boot/v1/bootparameters') || (req.method === 'POST' && path === '/bootconfigurations')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        const authorized = token === undefined || req.headers.authorization === `Bearer ${token}`;
        const problem = bodyProblem(path, body);
        const status = !authorized ? 401 : problem !== undefined ? 400 : path === '/bootconfigurations' ? 201 : 200;
        registrations.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body, status });
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(status >= 400 ? { detail: problem ?? 'unauthorized' } : {}));
        record(`${req.method ?? '?'} ${path} ${status}`);
      });
      return;
    }
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
    registrations,
    requireToken: (t) => {
      token = t;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
