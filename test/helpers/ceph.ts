// A throwaway one-node Ceph cluster for S3 tests: one mon, one OSD with the memstore backend
// and radosgw (beast frontend), on free ports of 127.0.0.1, with every file under one temp dir
// and nothing read from /etc/ceph. No systemd: each daemon runs in the foreground (-f) as our
// child, under setpriv --pdeathsig so it dies with the test process, with a hard lifetime.
// Readiness is waited for by events: a command that answers once the mon does, and the
// gateway's service-map registration line (after its frontend listens) and one HTTP request. Stopped by PID in reverse
// order; memstore data vanishes with the OSD.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cephConfig } from './ceph-config.js';
import { freePort } from './net.js';
import { exec, type ExecResult } from './proc.js';
import { makeTempDir, type TempDir } from './tmp.js';

/** One-off commands (mkfs, radosgw-admin, the ceph CLI). */
const COMMAND_TIMEOUT_MS = 60_000;
/** A daemon is killed after this long even if nobody stops it (a test run is far shorter). */
const DAEMON_LIFETIME_MS = 60 * 60_000;
/** How long a daemon may take to exit on SIGTERM before it gets SIGKILL. */
const STOP_GRACE_MS = 5000;
/**
 * `ceph osd create` without the ceph CLI, which first fetches every command's description from
 * the mon and takes about 0.5 s more. Debian's python3 (not one earlier on PATH) has the rados module.
 */
const OSD_CREATE = `
import json, sys, rados
cluster = rados.Rados(conffile=sys.argv[1])
cluster.connect(timeout=50)
ret, out, err = cluster.mon_command(json.dumps({"prefix": "osd create"}), b"", timeout=50)
if ret != 0:
    sys.exit("osd create: %d %s" % (ret, err))
print(out.decode())
`;

export interface CephDaemon {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<void>;
}

export interface CephCluster {
  readonly dir: string;
  /** http://127.0.0.1:port of radosgw. */
  readonly rgwUrl: string;
  /** The gateway's operations log file (JSON per request). */
  readonly opsLog: string;
  /** mon, osd, rgw in start order. */
  readonly daemons: readonly CephDaemon[];
  /** Runs radosgw-admin against this cluster; throws ExecError on failure. */
  radosgwAdmin(args: readonly string[]): Promise<ExecResult>;
  /** Stops gateway, OSD and mon by PID (in that order), then removes the directory. Idempotent. */
  stop(): Promise<void>;
}

interface Running extends CephDaemon {
  readonly child: ChildProcess;
  /** Resolves with the first stderr line matching re; rejects when the daemon exits first or after timeoutMs. */
  line(re: RegExp, timeoutMs: number): Promise<string>;
}

function spawnDaemon(name: string, argv: readonly string[]): Running {
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`cannot start ${argv.join(' ')}`);
  const lifetime = setTimeout(() => child.kill('SIGKILL'), DAEMON_LIFETIME_MS);
  lifetime.unref();
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      clearTimeout(lifetime);
      resolve();
    });
  });
  const seen: string[] = [];
  const waiters = new Set<(l: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (l) => {
      seen.push(l); // the gateway logs every request: keep the last lines only
      if (seen.length > 200) seen.shift();
      for (const w of waiters) w(l);
    });
  }
  const line = (re: RegExp, timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const hit = seen.find((l) => re.test(l));
      if (hit !== undefined) return resolve(hit);
      const done = (err?: Error, l?: string): void => {
        waiters.delete(onLine);
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(l ?? '');
      };
      const onLine = (l: string): void => {
        if (re.test(l)) done(undefined, l);
      };
      const tail = (): string => seen.slice(-20).join('\n');
      const timer = setTimeout(() => done(new Error(`${name}: no line matching ${re} within ${timeoutMs} ms\n${tail()}`)), timeoutMs);
      waiters.add(onLine);
      void exited.then(() => done(new Error(`${name} exited (code ${child.exitCode}, signal ${child.signalCode}) before ${re}\n${tail()}`)));
    });
  return { name, pid: child.pid, child, exited, line };
}

async function stopDaemon(d: Running): Promise<void> {
  if (d.child.exitCode !== null || d.child.signalCode !== null) return;
  d.child.kill('SIGTERM');
  const timer = setTimeout(() => d.child.kill('SIGKILL'), STOP_GRACE_MS);
  await d.exited;
  clearTimeout(timer);
}

/** Rejects as soon as any daemon exits: a start-up step must not wait for a dead cluster. */
function anyExit(daemons: readonly Running[]): Promise<never> {
  return new Promise((_, reject) => {
    for (const d of daemons) {
      void d.exited.then(() => reject(new Error(`${d.name} exited during start-up (code ${d.child.exitCode}, signal ${d.child.signalCode})`)));
    }
  });
}

async function logTails(dir: string): Promise<string> {
  const parts = await Promise.all(
    ['mon.a', 'osd.0', 'client.rgw'].map(async (n) => {
      const text = await readFile(join(dir, 'log', `${n}.log`), 'utf8').catch(() => '');
      return `--- ${n}.log\n${text.split('\n').slice(-15).join('\n')}`;
    }),
  );
  return parts.join('\n');
}

const run = (argv: readonly string[]): Promise<ExecResult> => exec(argv, { timeoutMs: COMMAND_TIMEOUT_MS });

interface Layout {
  readonly dir: string;
  readonly conf: string;
  readonly opsLog: string;
  readonly rgwPort: number;
}

/** Config, directories and the mon's store (monmap with one mon on a free port). */
async function prepare(dir: string): Promise<Layout> {
  for (const d of ['mon/a', 'osd/0', 'run', 'log']) await mkdir(join(dir, d), { recursive: true });
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'ceph.conf');
  const opsLog = join(dir, 'log', 'ops.log');
  const fsid = randomUUID();
  await writeFile(conf, cephConfig({ dir, fsid, monPort, rgwPort, opsLog }));
  await writeFile(opsLog, ''); // radosgw appends; readers watch the file from the start
  const monmap = join(dir, 'monmap');
  await run(['monmaptool', '--create', '--add', 'a', `v2:127.0.0.1:${monPort}`, '--fsid', fsid, monmap]);
  await run(['ceph-authtool', '--create-keyring', join(dir, 'keyring'), '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *']);
  await run(['ceph-mon', '-c', conf, '--mkfs', '-i', 'a', '--monmap', monmap]);
  return { dir, conf, opsLog, rgwPort };
}

/** Starts mon, OSD and gateway into `daemons` and resolves once the gateway answers HTTP. */
async function startDaemons(l: Layout, daemons: Running[]): Promise<string> {
  // Every step also ends as soon as a daemon dies: nothing waits for a dead cluster.
  const step = <T>(p: Promise<T>): Promise<T> => Promise.race([p, anyExit(daemons)]);
  daemons.push(spawnDaemon('mon', ['ceph-mon', '-c', l.conf, '-f', '-i', 'a']));
  // Answers once the mon has formed its quorum of one.
  const id = (await step(run(['/usr/bin/python3', '-c', OSD_CREATE, l.conf]))).stdout.trim();
  if (id !== '0') throw new Error(`expected osd id 0, the mon gave ${id}`);
  await step(run(['ceph-osd', '-c', l.conf, '--mkfs', '-i', '0']));
  daemons.push(spawnDaemon('osd', ['ceph-osd', '-c', l.conf, '-f', '-i', '0']));
  const rgw = spawnDaemon('rgw', ['radosgw', '-c', l.conf, '-n', 'client.rgw', '-f']);
  daemons.push(rgw);
  // Logged once every frontend listens ("starting handler" comes before beast binds); the
  // gateway gets there only after it has created its pools, so the OSD is up by then.
  await step(rgw.line(/mgrc service_daemon_register rgw\./, COMMAND_TIMEOUT_MS));
  const url = `http://127.0.0.1:${l.rgwPort}`;
  const res = await step(fetch(`${url}/`, { signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS) }));
  if (res.status !== 200) throw new Error(`radosgw answered GET / with ${res.status}`);
  return url;
}

async function tryStart(tmp: TempDir): Promise<CephCluster> {
  const l = await prepare(tmp.path);
  const daemons: Running[] = [];
  const stop = async (): Promise<void> => {
    for (const d of [...daemons].reverse()) await stopDaemon(d);
  };
  try {
    const rgwUrl = await startDaemons(l, daemons);
    let stopping: Promise<void> | undefined;
    return {
      dir: l.dir,
      rgwUrl,
      opsLog: l.opsLog,
      daemons,
      radosgwAdmin: (args) => run(['radosgw-admin', '-c', l.conf, '-n', 'client.rgw', ...args]),
      stop: () => (stopping ??= stop().then(() => tmp.cleanup())),
    };
  } catch (e) {
    await stop();
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${await logTails(l.dir)}`, { cause: e });
  }
}

/**
 * Starts the cluster and waits until the gateway answers HTTP. Tries three times with fresh
 * ports and a fresh directory (another test may take a free port first); rejects with the
 * daemons' log tails when it never comes up.
 */
export async function startCeph(): Promise<CephCluster> {
  let failure: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const tmp = await makeTempDir('image-build-ceph-');
    try {
      return await tryStart(tmp);
    } catch (e) {
      failure = e;
      await tmp.cleanup();
    }
  }
  throw new Error(`Ceph did not start: ${failure instanceof Error ? failure.message : String(failure)}`);
}
