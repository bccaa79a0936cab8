import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { LayerSpec } from '../model/spec.js';
import { BuildError, PublishError } from '../errors/index.js';
import type { CliDeps } from './deps.js';
import { main } from './main.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'config');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  built: { spec: LayerSpec; dryRun: boolean | undefined }[];
}

async function run(argv: string[], deps: Partial<CliDeps> = {}): Promise<Run> {
  const r: Run = { code: -1, stdout: '', stderr: '', built: [] };
  r.code = await main(argv, {
    stdout: (t) => void (r.stdout += t),
    stderr: (t) => void (r.stderr += t),
    env: {},
    cwd: FIXTURES,
    signals: new EventEmitter(),
    exit: () => assert.fail('exit() is only for a second Ctrl-C'),
    build: (spec, opts) => {
      r.built.push({ spec, dryRun: opts.dryRun });
      return Promise.resolve();
    },
    ...deps,
  });
  return r;
}

const failingBuild = (err: Error): Partial<CliDeps> => ({ build: () => Promise.reject(err) });

describe('IMAGE_BUILD_EXIT_CODES=original', () => {
  it("maps every failure to the original's exit 1 and leaves success alone", async () => {
    const env = { IMAGE_BUILD_EXIT_CODES: 'original' };
    assert.equal((await run(['validate', '--config', 'invalid-types.yaml'], { env })).code, 1);
    assert.equal((await run(['validate', '--config', 'invalid-types.yaml'])).code, 2);
    assert.equal((await run(['validate', '--config', 'base.yaml'], { env })).code, 0);
    assert.equal((await run(['--config', 'base.yaml'], { env, ...failingBuild(new PublishError('s3', 'down')) })).code, 1);
  });
});

describe('a variadic flag before the stack directory', () => {
  it('validate --publish-tags 9.5 DIR: the directory is the stack, not a second tag', async (t) => {
    const cwd = await mkdtemp(join(tmpdir(), 'ib-reclaim-'));
    t.after(() => rm(cwd, { recursive: true, force: true }));
    await mkdir(join(cwd, 'images'));
    await writeFile(join(cwd, 'images', 'a.yaml'), 'options:\n  layer_type: base\n  name: a\n  pkg_manager: dnf\n  releasever: "9"\n');
    const r = await run(['validate', '--publish-tags', '9.5', 'images'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `OK: ${join('images', 'a.yaml')} (a, base)\n`);
    // A tag that names no directory stays a tag.
    const tags = await run(['validate', '--publish-tags', '9.5', 'latest'], { cwd });
    assert.match(tags.stderr, /--config FILE \(or a stack directory\) is required/);
  });
});

describe('image-build validate', () => {
  it('prints OK with the name and layer type, exit 0, builds nothing', async () => {
    const r = await run(['validate', '--config', 'base.yaml']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'OK: base.yaml (rocky-base, base)\n');
    assert.equal(r.built.length, 0);
  });

  it('prints every problem with file:line:col and exits 2', async () => {
    const r = await run(['validate', '--config', 'invalid-types.yaml']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      [
        'ERROR - 3 problems in configuration:',
        '  invalid-types.yaml:8:18: options.publish_local: expected true or false, got the string "sometimes"',
        '  invalid-types.yaml:9:22: options.ansible_verbosity: must be between 0 and 4, got number 9',
        '  invalid-types.yaml:10:11: packages: expected a list, got the string "vim"',
        '',
      ].join('\n'),
    );
  });

  it('applies flags before checking required keys', async () => {
    assert.equal((await run(['validate', '--config', 'invalid-base-without-pkg-manager.yaml'])).code, 2);
    const r = await run(['validate', '--config', 'invalid-base-without-pkg-manager.yaml', '--pkg-manager', 'dnf']);
    assert.equal(r.code, 0, r.stderr);
  });

  it('names a missing config file, exit 2', async () => {
    const r = await run(['validate', '--config', 'nope.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.yaml: cannot read config file: no such file\nhint: pass the layer config with --config FILE\n/);
  });

  it('prints warnings and still succeeds', async () => {
    const r = await run(['validate', '--config', 'base.yaml', '--s3-bucket', 'x', '--force-installroot']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /WARNING - --force-installroot is a flag of the original image-builder that is not supported here; ignored/);
    assert.match(r.stderr, /WARNING - <command line>: --s3-bucket: has no effect without publish_s3/);
  });
});

describe('usage errors exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown flag, with a suggestion', ['--conifg', 'base.yaml'], /unknown option '--conifg'\n\(Did you mean --config\?\)/],
    ['missing --config', [], /ERROR - usage: --config FILE \(or a stack directory\) is required\nhint: /],
    ['a bad --layer-type', ['--config', 'base.yaml', '--layer-type', 'foo'], /Allowed choices are base, ansible/],
    ['a bad --pkg-manager', ['--config', 'base.yaml', '--pkg-manager', 'yum'], /Allowed choices are dnf, zypper, apt/],
    ['a bad --log-level', ['--config', 'base.yaml', '--log-level', 'loud'], /option '--log-level <level>' has an invalid value \(not repeated here: it may hold a secret\)\. expected one of DEBUG/],
    ['a bad --gpgcheck', ['--config', 'base.yaml', '--gpgcheck', 'maybe'], /expected true or false/],
    ['a bad --ansible-verbosity', ['--config', 'base.yaml', '--ansible-verbosity', '9'], /from 0 to 4/],
    ['a bad --vars', ['--config', 'base.yaml', '--vars', 'x'], /key=value/],
    ['an unknown command', ['biuld', '--config', 'base.yaml'], /unexpected argument 'biuld' \(did you mean 'build'\?\)/],
    ['an unterminated quote in --registry-opts-push', ['--config', 'base.yaml', '--registry-opts-push', "'x"], /unterminated ' quote/],
  ];
  for (const [what, argv, message] of cases) {
    it(what, async () => {
      const r = await run(argv);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.built.length, 0);
    });
  }

  it('--help and --version exit 0', async () => {
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: image-build/);
    const buildHelp = await run(['build', '--help']);
    assert.match(buildHelp.stdout, /--registry-opts-push <opts>/);
    assert.doesNotMatch(buildHelp.stdout, /--force-installroot/);
    assert.match(buildHelp.stdout, /--scap-benchmark +evaluate the image/);
    assert.match(help.stdout, /Examples:\n {2}image-build --config base\.yaml .*\n {2}image-build validate --config base\.yaml .*\n {2}image-build --config base\.yaml --dry-run /);
    assert.match(help.stdout, /boot-test \[options\] \[dir\]/);
    const version = await run(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});

describe('image-build build', () => {
  it('builds by default and with the build command, passing --dry-run', async () => {
    const a = await run(['--config', 'compute.yaml']);
    const b = await run(['build', '--config', 'compute.yaml', '--dry-run']);
    assert.deepEqual([a.code, b.code], [0, 0]);
    assert.equal(a.built[0]?.spec.name, 'compute-base');
    assert.deepEqual([a.built[0]?.dryRun, b.built[0]?.dryRun], [false, true]);
  });

  it('hands the build a spec where flags beat the file', async () => {
    const r = await run([
      '--config', 'compute.yaml', '--name', 'other', '--publish-tags', '1', '2', '--gpgcheck', 'false',
      '--registry-opts-pull', '--tls-verify=true --retry 1', '--s3-prefix', 'p/', '--publish-s3', 'http://127.0.0.1:9000',
    ]);
    const spec = r.built[0]?.spec;
    assert.equal(spec?.name, 'other');
    assert.deepEqual(spec?.tags, ['1', '2']);
    assert.equal(spec?.gpgcheck, false);
    assert.deepEqual(spec?.registryOptsPull, ['--tls-verify=true', '--retry', '1']);
    assert.deepEqual([spec?.s3?.endpoint, spec?.s3?.prefix, spec?.s3?.bucket], ['http://127.0.0.1:9000', 'p/', 'boot-images']);
  });

  it('prints the ARGUMENTS block first, at INFO, honouring --log-level', async () => {
    const r = await run(['--config', 'base.yaml']);
    assert.ok(r.stderr.startsWith('INFO - --------------------ARGUEMENTS--------------------\nINFO - log_level : INFO\nINFO - config : base.yaml\n'), r.stderr);
    assert.match(r.stderr, /INFO - publish_tags : \['9\.5'\]\n/);
    assert.equal((await run(['--config', 'base.yaml', '--log-level', 'warning'])).stderr, '');
  });

  it('never prints S3 keys or proxy passwords, even inside error messages', async () => {
    const env = { S3_ACCESS: 'AKIAEXAMPLEKEY', S3_SECRET: 'wJalrXUtnFEMIsecret' };
    const r = await run(['--config', 'compute.yaml', '--proxy', 'http://me:proxyPw9@proxy:3128', '--debug'], {
      env,
      build: () => Promise.reject(new Error('signature mismatch for wJalrXUtnFEMIsecret / AKIAEXAMPLEKEY via proxyPw9')),
    });
    assert.equal(r.code, 1);
    for (const s of ['AKIAEXAMPLEKEY', 'wJalrXUtnFEMIsecret', 'proxyPw9']) assert.ok(!r.stderr.includes(s), s);
    assert.match(r.stderr, /INFO - proxy : http:\/\/\*\*\*@proxy:3128/);
  });
});

describe('image-build boot-test', () => {
  it('needs a directory or --config, not both, and exits 2 before booting', async () => {
    const none = await run(['boot-test']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /usage: give a publish directory or --config FILE/);
    const both = await run(['boot-test', 'out', '--config', 'compute.yaml']);
    assert.equal(both.code, 2);
    const missing = await run(['boot-test', 'no-such-dir']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such directory or file: .*no-such-dir/);
  });

  it('rejects bad flag values with exit 2', async () => {
    for (const argv of [
      ['boot-test', 'out', '--timeout', '0'],
      ['boot-test', 'out', '--accel', 'hvf'],
      ['boot-test', 'out', '--style', 'pxe'],
      ['boot-test', 'out', '--cmdline', 'x', '--style', 'dracut'],
    ]) {
      const r = await run(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    }
  });

  it('--config: a config error quoting a credential masks it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ib-boot-mask-'));
    try {
      await writeFile(join(dir, 'l.yaml'), "options:\n  layer_type: base\n  name: l\n  pkg_manager: dnf\n  publish_tags: ['http://u:Boot-S3cr3t-4@x']\n");
      const r = await run(['boot-test', '--config', 'l.yaml'], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /l\.yaml:5:\d+: options\.publish_tags: invalid tag "http:\/\/\*\*\*@x"/);
      assert.doesNotMatch(r.stderr, /S3cr3t/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--config: a layer that publishes no boot artifacts, or S3 without credentials, is exit 2', async () => {
    const base = await run(['boot-test', '--config', 'base.yaml']);
    assert.equal(base.code, 2, base.stderr);
    assert.match(base.stderr, /base\.yaml: options: the layer publishes no boot artifacts/);
    const s3 = await run(['boot-test', '--config', 'compute.yaml']);
    assert.equal(s3.code, 2, s3.stderr);
    assert.match(s3.stderr, /set S3_ACCESS and S3_SECRET/);
  });
});

describe('build --boot-test', () => {
  it('a layer with no boot artifacts fails before the build; --dry-run boots nothing', async () => {
    const r = await run(['build', '--config', 'base.yaml', '--boot-test']);
    assert.equal(r.built.length, 0);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--boot-test needs boot artifacts/);
    const dry = await run(['--config', 'base.yaml', '--boot-test', '--dry-run', '--publish-dir', 'out']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(dry.built.length, 1);
  });
});

describe('image-build plan', () => {
  it('masks a key URL\'s password in the text and in --json, which stays valid JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ib-plan-mask-'));
    try {
      const config = join(dir, 'layer.yaml');
      const gpg = 'https://key:Pl4n\\S3cr3t@keys.example/RPM-GPG-KEY';
      await writeFile(config, `options:\n  layer_type: base\n  name: m\n  pkg_manager: dnf\n  publish_dir: '${join(dir, 'out')}'\nrepos:\n  - alias: p\n    url: 'https://mirror.example/el9/'\n    gpg: '${gpg}'\n`);
      for (const json of [false, true]) {
        const r = await run(['plan', '--config', config, ...(json ? ['--json'] : [])], { cwd: dir });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /store key https:\/\/\*\*\*@keys\.example\/RPM-GPG-KEY/);
        assert.doesNotMatch(r.stdout + r.stderr, /S3cr3t/);
        if (json) assert.doesNotThrow(() => JSON.parse(r.stdout) as unknown);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('image-build plan with variables', () => {
  it('shows rendered values, takes --set, and masks a value read from the environment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ib-plan-vars-'));
    try {
      const config = join(dir, 'layer.yaml');
      // gpgcheck off: a dnf scratch repo without a gpg key is a config error otherwise.
      const layer = `variables:\n  release: "9.5"\n  token: {env: MIRROR_TOKEN}\noptions:\n  layer_type: base\n  name: m\n  pkg_manager: dnf\n  gpgcheck: false\n  publish_tags: "~{release}"\n  publish_dir: '${join(dir, 'out')}'\nrepos:\n  - alias: p\n    url: 'https://mirror.example/~{token}/el9/'\n`;
      await writeFile(config, layer);
      const r = await run(['plan', '--config', config, '--set', 'release=candidate'], { cwd: dir, env: { MIRROR_TOKEN: 'Tok3nV4lue' } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /candidate/);
      assert.doesNotMatch(r.stdout, /~\{release\}|9\.5/);
      assert.doesNotMatch(r.stdout + r.stderr, /Tok3nV4lue/);
      const unset = await run(['plan', '--config', config], { cwd: dir });
      assert.equal(unset.code, 2);
      assert.match(unset.stderr, /layer\.yaml:13:34: repos\[0\]\.url: variable "token" is read from the environment variable MIRROR_TOKEN, which is not set/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('build DIR --boot-test', () => {
  it('a stack where no layer publishes boot artifacts fails before anything is checked or built', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ib-stack-boot-'));
    try {
      const layer = (name: string, parent: string): string => `options:\n  layer_type: base\n  name: ${name}\n  pkg_manager: dnf\n  parent: '${parent}'\n  publish_local: true\n`;
      await writeFile(join(dir, 'a.yaml'), layer('a', 'scratch'));
      await writeFile(join(dir, 'b.yaml'), layer('b', 'localhost/a:latest'));
      const r = await run(['build', dir, '--boot-test'], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /usage: --boot-test needs boot artifacts: no layer of the stack has a publish_dir or publish_s3\nhint: add publish_dir/);
      assert.doesNotMatch(r.stderr, /will build|no publish target/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('errors map to exit codes', () => {
  it('a failed build step exits 3 and prints its hint', async () => {
    const r = await run(['--config', 'base.yaml'], failingBuild(new BuildError('packages', 'dnf install failed', { hint: 'check the repo URL' })));
    assert.equal(r.code, 3);
    assert.match(r.stderr, /ERROR - build step 'packages' failed: dnf install failed\nhint: check the repo URL\n$/);
  });

  it('a failed publish exits 4', async () => {
    const r = await run(['--config', 'base.yaml'], failingBuild(new PublishError('registry', 'push refused')));
    assert.equal(r.code, 4);
    assert.match(r.stderr, /ERROR - publish to registry failed: push refused\n$/);
  });

  it('anything else is an internal error (exit 1), with the stack only under --debug', async () => {
    const bug = new TypeError('x is undefined');
    const plain = await run(['--config', 'base.yaml'], failingBuild(bug));
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /ERROR - internal error, please report it: x is undefined\nhint: run with --debug for the stack trace\n$/);
    assert.doesNotMatch(plain.stderr, /at .*main\.test/);
    const debug = await run(['--config', 'base.yaml', '--debug'], failingBuild(bug));
    assert.equal(debug.code, 1);
    assert.match(debug.stderr, /TypeError: x is undefined\n\s+at /);
  });

  it('--log-format json prints one JSON object per line, the error included', async () => {
    const r = await run(['--config', 'base.yaml', '--log-format', 'json'], failingBuild(new BuildError('cmds', 'exit 1')));
    assert.equal(r.code, 3);
    const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines[0]?.message, '--------------------ARGUEMENTS--------------------');
    assert.deepEqual({ ...lines.at(-1), time: undefined }, { time: undefined, level: 'ERROR', component: 'cli', message: "build step 'cmds' failed: exit 1", exitCode: 3 });
  });

  it('an interrupted build exits 130', async () => {
    const signals = new EventEmitter();
    const r = await run(['--config', 'base.yaml'], {
      signals,
      build: () => {
        signals.emit('SIGINT', 'SIGINT');
        return Promise.reject(new Error('killed'));
      },
    });
    assert.equal(r.code, 130);
    assert.match(r.stderr, /WARNING - received SIGINT: stopping and cleaning up/);
    assert.match(r.stderr, /ERROR - interrupted by SIGINT; cleaned up\n$/);
  });

  it('each call has its own cancellation: the build after an interrupted one gets a live signal', async () => {
    const signals = new EventEmitter();
    const seen: AbortSignal[] = [];
    const interrupted = await run(['--config', 'base.yaml'], {
      signals,
      build: (_spec, opts) => {
        seen.push(opts.signal);
        signals.emit('SIGINT', 'SIGINT');
        return Promise.reject(new Error('killed'));
      },
    });
    assert.equal(interrupted.code, 130);
    const next = await run(['--config', 'base.yaml'], {
      build: (_spec, opts) => {
        seen.push(opts.signal);
        return Promise.resolve();
      },
    });
    assert.equal(next.code, 0);
    assert.deepEqual(seen.map((s) => s.aborted), [true, false]);
  });

  it('masks secrets in commander\'s own errors and in config errors raised before the spec exists', async () => {
    const bad = await run(['validate', '--config', 'base.yaml', '--publish-registry', 'bob:regPw7@reg:5000/ns', '--gpgcheck', 'http://u:flagPw8@x']);
    assert.equal(bad.code, 2);
    assert.ok(!bad.stderr.includes('flagPw8') && !bad.stderr.includes('regPw7'), bad.stderr);
    const r = await run(['validate', '--config', 'invalid-secret-endpoint.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /options\.publish_s3: expected an http:\/\/ or https:\/\/ endpoint URL/);
    assert.ok(!r.stderr.includes('s3Pw6'), r.stderr);
  });
});

describe('image-build sbom (usage)', () => {
  it('needs a reference, rejects one that looks like an option, and knows its formats (exit 2, nothing run)', async () => {
    assert.equal((await run(['sbom'])).code, 2);
    const dash = await run(['sbom', '--', '-x']);
    assert.equal(dash.code, 2);
    assert.match(dash.stderr, /invalid image reference '-x'/);
    const fmt = await run(['sbom', 'localhost/x:1', '--format', 'xml']);
    assert.equal(fmt.code, 2);
    assert.match(fmt.stderr, /Allowed choices are cyclonedx, spdx/);
    assert.equal(fmt.stdout, '');
  });
});

describe('image-build verify (usage)', () => {
  it('needs --key and an existing directory (exit 2, nothing run)', async () => {
    const noKey = await run(['verify', '/']);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /verify needs --key/);
    const missing = await run(['verify', '/nonexistent-image-build-dir', '--key', '/']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /\/nonexistent-image-build-dir does not exist/);
    const neither = await run(['verify', '--key', '/']);
    assert.equal(neither.code, 2);
    assert.match(neither.stderr, /give a publish directory, an image reference or --config FILE/);
    const notRef = await run(['verify', 'no such dir', '--key', '/']);
    assert.equal(notRef.code, 2);
    assert.match(notRef.stderr, /no such dir does not exist, and 'no such dir' is not an image reference/);
  });
});
