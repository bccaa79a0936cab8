// Pure argument and environment builders for ansible-playbook. Nothing here runs a program;
// unit tests assert the values.
import { join } from 'node:path';
import type { Env } from '../../model/env.js';

/** Where ansible keeps its per-task temp dirs inside the image; removed after the run. */
export const REMOTE_TMP = '/tmp/.image-build-ansible';

/** The connection plugin that talks to the working container (`buildah run` / `buildah mount`). */
export const CONNECTION = 'containers.podman.buildah';

export interface PlaybookArgs {
  /** Inventory sources, generated one first (see inventory.ts for why). */
  inventories: readonly string[];
  /** Only this host runs: real hosts in the user's inventory are never contacted. */
  limit: string;
  /** JSON file with the layer's `vars`, passed as `-e @file`. */
  extraVarsFile?: string;
  verbosity: number;
  playbooks: readonly string[];
}

/** 0 → no flag, 3 → "-vvv"; clamped to 0..4 (ansible accepts more, we document 4). */
export function verbosityFlags(verbosity: number): string[] {
  const n = Math.max(0, Math.min(4, Math.trunc(verbosity)));
  return n === 0 ? [] : [`-${'v'.repeat(n)}`];
}

/** One ansible-playbook run with every playbook, in order (ansible stops at the first failure). */
export function playbookArgv(a: PlaybookArgs): string[] {
  if (a.playbooks.length === 0) throw new Error('playbookArgv: no playbooks');
  return [
    'ansible-playbook',
    ...a.inventories.flatMap((i) => ['-i', i]),
    '--limit',
    a.limit,
    ...(a.extraVarsFile === undefined ? [] : ['-e', `@${a.extraVarsFile}`]),
    ...verbosityFlags(a.verbosity),
    '--',
    ...a.playbooks,
  ];
}

export interface EnvInputs {
  /** Host directory for ansible's local temp files (inside the build's work dir). */
  localTmp: string;
  /** buildah isolation the connection plugin's `buildah run` must use. */
  isolation: string;
  /** ANSIBLE_ROLES_PATH to set, or undefined to leave ansible's own search path alone. */
  rolesPath?: string;
}

/**
 * Environment for ansible-playbook. Forces the output format our classifier reads (default
 * callback, JSON results, no colour), keeps temp files out of the host's and image's home,
 * and turns on pipelining: each module then costs one `buildah run` (~0.8 s) instead of four.
 */
export function playbookEnv(i: EnvInputs): Record<string, string> {
  const env: Record<string, string> = {
    BUILDAH_ISOLATION: i.isolation,
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_STDOUT_CALLBACK: 'default',
    ANSIBLE_CALLBACK_RESULT_FORMAT: 'json',
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
    ANSIBLE_LOCAL_TEMP: i.localTmp,
    ANSIBLE_REMOTE_TEMP: REMOTE_TMP,
    ANSIBLE_ASYNC_DIR: `${REMOTE_TMP}/async`,
  };
  if (i.rolesPath !== undefined) env.ANSIBLE_ROLES_PATH = i.rolesPath;
  return env;
}

/** ansible's default roles search path (ansible-core 2.14), kept after our addition. */
export const DEFAULT_ROLES_PATH = ['~/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles'];

/**
 * ANSIBLE_ROLES_PATH adding `<configDir>/roles`, or undefined when we must not touch it: the
 * user set ANSIBLE_ROLES_PATH, an ansible.cfg in the config dir may set roles_path (the env
 * variable would override it), or there is no roles/ folder to add.
 */
export function rolesPathFor(
  configDir: string,
  has: { rolesDir: boolean; ansibleCfg: boolean },
  env: Env,
): string | undefined {
  if (!has.rolesDir || has.ansibleCfg) return undefined;
  if (env.ANSIBLE_ROLES_PATH !== undefined && env.ANSIBLE_ROLES_PATH !== '') return undefined;
  return [join(configDir, 'roles'), ...DEFAULT_ROLES_PATH].join(':');
}
