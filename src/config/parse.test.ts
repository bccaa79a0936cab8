import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, formatIssue, type ConfigIssue } from '../errors/index.js';
import { parseSpec } from './parse.js';

/** The issues parseSpec throws, formatted as users see them. */
function problems(text: string): string[] {
  try {
    parseSpec(text, 'layer.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i: ConfigIssue) => `${i.severity === 'warning' ? 'W ' : ''}${formatIssue(i)}`);
    throw e;
  }
  assert.fail('expected a ConfigError');
}

const base = `options:
  layer_type: base
  name: rocky-base
  pkg_manager: dnf
`;

describe('parseSpec: YAML syntax errors', () => {
  it('reports a key indented differently from its siblings at its line and the column its stray indent ends', () => {
    assert.deepEqual(problems(`options:\n  layer_type: base\n  name: x\n packages: [a]\n`), [
      'layer.yaml:4:2: All mapping items must start at the same column',
    ]);
  });

  it('reports one error for a mis-indented list item, on its line', () => {
    assert.deepEqual(problems(`${base}packages:\n  - a\n - b\n`), [
      'layer.yaml:7:1: A block sequence may not be used as an implicit map key',
    ]);
  });

  it('reports a second colon in a value at its column', () => {
    assert.deepEqual(problems(`options:\n  name: x: y\n`), ['layer.yaml:2:9: Nested mappings are not allowed in compact mappings']);
  });

  it('reports a duplicate key on the line of the second one', () => {
    assert.deepEqual(problems(`${base}  name: other\n`), ['layer.yaml:5:3: Map keys must be unique']);
  });

  it('reports a tab used for indentation on its line', () => {
    const out = problems(`options:\n\tname: x\n`);
    assert.equal(out.length, 1);
    assert.match(out[0] ?? '', /^layer\.yaml:2:1: .*tab/i);
  });
});

describe('parseSpec: values with a "did you mean"', () => {
  it('suggests dnf for yum (a synonym no spelling distance finds), and apt for apt-get', () => {
    const at = (pm: string): string => problems(`options:\n  layer_type: base\n  name: n\n  pkg_manager: ${pm}\n`).join('\n');
    assert.match(at('yum'), /options\.pkg_manager: expected one of dnf, zypper, apt, got the string "yum" \(did you mean "dnf"\?\)/);
    assert.match(at('apt-get'), /\(did you mean "apt"\?\)/);
    assert.match(at('zyper'), /\(did you mean "zypper"\?\)/);
  });
});

describe('parseSpec: unknown keys', () => {
  it('suggests the closest known key', () => {
    assert.deepEqual(problems(`${base}pakages:\n  - vim\n`), ['layer.yaml:5:1: pakages: unknown key "pakages" (did you mean "packages"?)']);
  });

  it('suggests within options and within list items', () => {
    const out = problems(`${base}  publish_tag: '9.5'\ncopyfiles:\n  - src: a\n    dts: /b\n`);
    assert.deepEqual(out, [
      'layer.yaml:5:3: options.publish_tag: unknown key "publish_tag" (did you mean "publish_tags"?)',
      'layer.yaml:7:5: copyfiles[0]: missing required key dst (the destination path in the image; dest is accepted too)',
      'layer.yaml:8:5: copyfiles[0].dts: unknown key "dts" (did you mean "dst"?)',
    ]);
  });

  it('lists the known keys when nothing is close', () => {
    const out = problems(`repos:\n  - alias: a\n    url: http://x\n    zzzzzz: 1\n`);
    assert.deepEqual(out, ['layer.yaml:4:5: repos[0].zzzzzz: unknown key "zzzzzz" (known keys: alias, url, gpg, priority)']);
  });

  it('says when a key is at the wrong level', () => {
    assert.deepEqual(problems(`${base}  packages: [vim]\nname: x\n`), [
      'layer.yaml:5:3: options.packages: unknown key "packages" in options: it belongs at the top level, not under options',
      'layer.yaml:6:1: name: unknown top-level key "name": it belongs under options',
    ]);
  });
});

describe('parseSpec: wrong types and values', () => {
  it('says what was expected and what was found, for every problem at once', () => {
    const out = problems(`options:
  layer_type: bsae
  pkg_manager: yum
  publish_local: maybe
  ansible_verbosity: 7
packages:
  - vim
  - [a]
repos: {alias: x}
cmds:
  - cmd: ls
    loglevel: loud
`);
    assert.deepEqual(out, [
      'layer.yaml:2:15: options.layer_type: expected one of base, ansible, got the string "bsae" (did you mean "base"?)',
      'layer.yaml:3:16: options.pkg_manager: expected one of dnf, zypper, apt, got the string "yum" (did you mean "dnf"?)',
      'layer.yaml:4:18: options.publish_local: expected true or false, got the string "maybe"',
      'layer.yaml:5:22: options.ansible_verbosity: must be between 0 and 4, got number 7',
      'layer.yaml:8:5: packages[1]: expected a string, got a list',
      'layer.yaml:9:8: repos: expected a list, got a map',
      'layer.yaml:12:15: cmds[0].loglevel: expected one of DEBUG, INFO, WARN, WARNING, ERROR, CRITICAL, got the string "LOUD"',
    ]);
  });

  it('rejects a map where a string or list is expected', () => {
    assert.deepEqual(problems(`${base}  publish_tags: {a: 1}\n`), [
      'layer.yaml:5:17: options.publish_tags: expected a string or a list of strings, got a map',
    ]);
  });

  it('reports the bad item of a list given for a string-or-list option', () => {
    assert.deepEqual(problems(`${base}  publish_tags: ['1', {a: 1}]\n`), ['layer.yaml:5:23: options.publish_tags[1]: expected a string, got a map']);
  });

  it('rejects a top level that is not a map', () => {
    assert.deepEqual(problems(`- a\n- b\n`), ['layer.yaml:1:1: not a layer config: expected a map of keys (options, repos, modules, package_groups, ...), got a list starting "- a"']);
  });

  it('reports a missing required key of a list item at the item', () => {
    assert.deepEqual(problems(`repos:\n  - alias: a\n`), ['layer.yaml:2:5: repos[0].url: missing required key']);
  });
});

describe('parseSpec: copyfiles dst / dest', () => {
  it('accepts dst (the spec) and dest (the original tool)', () => {
    const parsed = parseSpec(`${base}copyfiles:\n  - {src: a, dst: /a}\n  - {src: b, dest: /b}\n`, 'layer.yaml');
    assert.deepEqual(parsed.config.copyfiles, [
      { src: 'a', dst: '/a' },
      { src: 'b', dest: '/b' },
    ]);
  });

  it('rejects both at once, pointing at dest', () => {
    assert.deepEqual(problems(`${base}copyfiles:\n  - src: a\n    dst: /a\n    dest: /b\n`), [
      'layer.yaml:8:5: copyfiles[0].dest: give the destination as dst or dest, not both',
    ]);
  });

  it('rejects neither', () => {
    assert.deepEqual(problems(`${base}copyfiles:\n  - src: a\n`), [
      'layer.yaml:6:5: copyfiles[0]: missing required key dst (the destination path in the image; dest is accepted too)',
    ]);
  });
});

describe('parseSpec: reading values as their authors meant', () => {
  it('keeps unquoted numbers in string fields as written (9.10 stays 9.10)', () => {
    const { config } = parseSpec(`${base}  publish_tags: 9.10\n  releasever: 9\n  labels: {build: 042}\npackages: [7zip, 1.0]\n`, 'l.yaml');
    assert.equal(config.options?.publish_tags, '9.10');
    assert.equal(config.options?.releasever, '9');
    assert.deepEqual(config.options?.labels, { build: '042' });
    assert.deepEqual(config.packages, ['7zip', '1.0']);
  });

  it('reads yes/no/on/off as booleans only where a boolean is expected', () => {
    const { config } = parseSpec(`${base}  gpgcheck: no\n  publish_local: yes\n  publish_tags: [yes, on]\n`, 'l.yaml');
    assert.equal(config.options?.gpgcheck, false);
    assert.equal(config.options?.publish_local, true);
    assert.deepEqual(config.options?.publish_tags, ['yes', 'on']);
  });

  it('keeps numbers where numbers are expected and ansible vars as typed', () => {
    const { config } = parseSpec(`${base}  ansible_verbosity: 2\n  vars: {port: 123, on: yes, name: x}\nrepos:\n  - {alias: a, url: 'http://x', priority: 10}\n`, 'l.yaml');
    assert.equal(config.options?.ansible_verbosity, 2);
    assert.deepEqual(config.options?.vars, { port: 123, on: true, name: 'x' });
    assert.equal(config.repos?.[0]?.priority, 10);
  });

  it('treats an empty value as not set', () => {
    const { config } = parseSpec(`${base}  proxy:\npackages:\ncmds:\n`, 'l.yaml');
    assert.equal(config.packages, undefined);
    assert.equal(config.options?.proxy, undefined);
  });

  it('accepts log levels in any case', () => {
    const { config } = parseSpec(`${base}  log_level: warn\ncmds:\n  - {cmd: ls, loglevel: info}\n`, 'l.yaml');
    assert.equal(config.options?.log_level, 'WARN');
    assert.equal(config.cmds?.[0]?.loglevel, 'INFO');
  });

  it('accepts an empty file (flags may supply everything)', () => {
    assert.deepEqual(parseSpec('', 'l.yaml').config, {});
  });
});

describe('parseSpec: warnings', () => {
  it('warns about the original tool\'s unsupported keys and still parses; its OpenSCAP keys are read', () => {
    const parsed = parseSpec(`${base}  force_installroot: true\n  scap_benchmark: true\n  oval_eval: false\n  install_scap: true\noscap_template: x\n`, 'l.yaml');
    assert.deepEqual(
      parsed.warnings.map((w) => `${w.severity} ${formatIssue(w)}`),
      [
        'warning l.yaml:5:3: options.force_installroot: is read by the original image-builder but not supported here; ignored',
        'warning l.yaml:9:1: oscap_template: is read by the original image-builder but not supported here; ignored',
      ],
    );
  });

  it('keeps warnings apart from errors in a failing file', () => {
    const text = `${base}  force_installroot: true\n  publish_local: maybe\n`;
    assert.deepEqual(problems(text), [
      'W layer.yaml:5:3: options.force_installroot: is read by the original image-builder but not supported here; ignored',
      'layer.yaml:6:18: options.publish_local: expected true or false, got the string "maybe"',
    ]);
    assert.throws(() => parseSpec(text, 'layer.yaml'), (e: ConfigError) => e.message.includes('publish_local') && !e.message.includes('force_installroot'));
  });
});

describe('parseSpec: squashfs', () => {
  it('checks the level against the compressor', () => {
    assert.deepEqual(problems(`${base}  squashfs: {compression: gzip, level: 12}\n`), [
      'layer.yaml:5:40: options.squashfs.level: gzip level must be an integer from 1 to 9, got 12',
    ]);
    assert.deepEqual(problems(`${base}  squashfs:\n    compression: xz\n    level: 3\n`), [
      'layer.yaml:7:12: options.squashfs.level: xz takes no compression level (remove squashfs.level)',
    ]);
    assert.equal(parseSpec(`${base}  squashfs: {compression: zstd, level: 19}\n`, 'l').config.options?.squashfs?.level, 19);
  });
});

describe('parseSpec: hostile input (issue 8)', () => {
  it('rejects option-shaped values that reach a program as positional arguments, at their position', () => {
    const text = `${base}  releasever: '--customize-hook=touch /tmp/x'\n  parent: --tls-verify=false\npackages: [ok, --installroot=/]\npackage_groups: ['-x']\nmodules: {enable: [-y]}\nremove_packages: [--all]\ncopyfiles:\n  - {src: -r, dst: --from=x}\n`;
    const lines = problems(text);
    for (const [at, path] of [
      ['5:15', 'options.releasever'],
      ['6:11', 'options.parent'],
      ['7:16', 'packages[1]'],
      ['8:18', 'package_groups[0]'],
      ['9:20', 'modules.enable[0]'],
      ['10:19', 'remove_packages[0]'],
      ['12:11', 'copyfiles[0].src'],
      ['12:20', 'copyfiles[0].dst'],
    ] as const) {
      assert.ok(lines.includes(`layer.yaml:${at}: ${path}: must not start with '-': a program would read it as an option`), `${path}\n${lines.join('\n')}`);
    }
  });

  it('an alias bomb is a config error, not a crash', () => {
    const bomb = `${base}  vars:\n    a: &a [x, x, x, x, x, x, x, x, x, x]\n    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n    d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    assert.deepEqual(problems(bomb), ['layer.yaml:1:1: too many YAML alias expansions (more than 100): refusing a possible alias bomb']);
  });

  it('deep nesting is a config error at any depth', () => {
    for (const n of [65, 5000]) {
      assert.match(problems(`${base}  vars:\n    x: ${'['.repeat(n)}${']'.repeat(n)}\n`).join('\n'), /nested too deeply \(more than 64 levels\)/);
    }
    assert.doesNotThrow(() => parseSpec(`${base}  vars:\n    x: ${'['.repeat(20)}${']'.repeat(20)}\n`, 'l'));
  });

  it('a file that is not a layer config is not echoed back', () => {
    const shadow = 'root:$y$j9T$SECRETHASHSECRETHASH:19000:0:99999:7:::\nbob: $6$OTHERSECRET\n';
    const out = problems(shadow);
    assert.equal(out.length, 1);
    assert.match(out[0] ?? '', /^layer\.yaml:1:1: not a layer config: none of its top-level keys is one of options, .*; it starts "root:\$y\$j9T\$SECRETHA…"$/);
    assert.doesNotMatch(out[0] ?? '', /OTHERSECRET|HASHSECRET/);
    assert.deepEqual(problems('just a sentence\n'), ['layer.yaml:1:1: not a layer config: expected a map of keys (options, repos, modules, package_groups, ...), got a string starting "just a sentence"']);
  });

  it('caps the number of syntax errors shown', () => {
    const garbage = Array.from({ length: 40 }, (_, i) => `k${i}: [\n`).join('');
    assert.ok(problems(garbage).length <= 11);
  });
});

describe('parseSpec: sbom', () => {
  it('accepts cyclonedx, spdx and none, and names the choices otherwise', () => {
    assert.equal(parseSpec(`${base}  sbom: spdx\n`, 'l').config.options?.sbom, 'spdx');
    const [p] = problems(`${base}  sbom: xml\n`);
    assert.match(p ?? '', /^layer\.yaml:5:9: options\.sbom: .*cyclonedx.*spdx.*none/);
  });
});
