// The ceph.conf of a throwaway one-node cluster for tests (see ceph.ts): one mon, one memstore
// OSD and radosgw with the beast frontend, all on 127.0.0.1, everything under one directory.
// Each setting below works around something that otherwise breaks or slows a one-node cluster.

export interface CephConfigInput {
  /** Directory holding every file of the cluster (data, sockets, logs). */
  readonly dir: string;
  readonly fsid: string;
  /** The mon's msgr2 port on 127.0.0.1. */
  readonly monPort: number;
  /** The gateway's HTTP port on 127.0.0.1. */
  readonly rgwPort: number;
  /** The gateway's operations log (one JSON object per request). */
  readonly opsLog: string;
}

/** Request headers the gateway writes into each ops log entry (lower case, HTTP_ form). */
export const OPS_LOG_HEADERS = [
  'content-encoding',
  'x-amz-content-sha256',
  'x-amz-trailer',
  'x-amz-sdk-checksum-algorithm',
  'x-amz-decoded-content-length',
  'x-amz-checksum-crc32',
  'x-amz-checksum-crc32c',
  'x-amz-checksum-crc64nvme',
  'x-amz-checksum-sha1',
  'x-amz-checksum-sha256',
  'x-amz-copy-source',
  'x-amz-metadata-directive',
] as const;

export function cephConfig(c: CephConfigInput): string {
  const headers = OPS_LOG_HEADERS.map((h) => `http_${h.replace(/-/g, '_')}`).join(',');
  return [
    '[global]',
    `fsid = ${c.fsid}`,
    `mon host = v2:127.0.0.1:${c.monPort}`,
    'mon initial members = a',
    'public addr = 127.0.0.1',
    'cluster addr = 127.0.0.1',
    'ms bind msgr1 = false',
    'auth cluster required = none',
    'auth service required = none',
    'auth client required = none',
    // Ceph 16 with auth none still asks for a "secure" mon connection and radosgw fails with -13.
    'ms mon client mode = crc',
    'ms client mode = crc',
    // One OSD: pools of size 1, placement across OSDs rather than hosts, few PGs, no mgr.
    'osd pool default size = 1',
    'osd pool default min size = 1',
    'mon allow pool size one = true',
    'mon warn on pool no redundancy = false',
    'osd crush chooseleaf type = 0',
    'osd pool default pg num = 8',
    'osd pool default pgp num = 8',
    'osd pool default pg autoscale mode = off',
    // The default 1 s paxos batching makes each of radosgw's seven pools take about 2 s.
    'paxos propose interval = 0.01',
    // A mon whose disk is nearly full shuts itself down; this one's data is throwaway.
    'mon data avail warn = 0',
    'mon data avail crit = 0',
    'osd objectstore = memstore',
    // The capacity memstore reports (data lives in RAM); room for the benchmark's 2 GiB upload.
    'memstore device bytes = 8589934592',
    `run dir = ${c.dir}/run`,
    `admin socket = ${c.dir}/run/$name.asok`,
    `pid file = ${c.dir}/run/$name.pid`,
    `log file = ${c.dir}/log/$name.log`,
    `mon data = ${c.dir}/mon/$id`,
    `osd data = ${c.dir}/osd/$id`,
    `keyring = ${c.dir}/keyring`,
    '',
    '[client.rgw]',
    `rgw frontends = beast endpoint=127.0.0.1:${c.rgwPort}`,
    // The lifecycle thread delays SIGTERM by 5 s; tests set no lifecycle rules.
    'rgw enable lc threads = false',
    // The helper waits for a line on stderr that comes once the frontend listens.
    'log to stderr = true',
    'err to stderr = true',
    // Every request as JSON, with the headers that show how a body was framed and what was copied.
    'rgw enable ops log = true',
    'rgw ops log rados = false',
    `rgw ops log file path = ${c.opsLog}`,
    `rgw log http headers = ${headers}`,
    '',
  ].join('\n');
}
