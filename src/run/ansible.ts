// Ansible layers: run the layer's playbooks against the working container with the
// containers.podman.buildah connection (every module runs through `buildah run`, with the same
// isolation as cmds). The container joins the layer's groups through a generated inventory
// listed before the user's, and only it is targeted (--limit): real hosts in the user's
// inventory are never contacted.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnsibleSpec } from '../model/spec.js';
import { BuildError } from '../errors/index.js';
import { lstatInRoot, removeInRoot } from '../fs/inroot.js';
import {
  CONNECTION,
  REMOTE_TMP,
  describeFailure,
  extraVarsJson,
  inventoryYaml,
  playbookEnv,
  rolesPathFor,
  runPlaybook,
  type InventoryInputs,
  type PlaybookArgs,
  type PlaybookOutput,
} from '../tools/ansible/index.js';
import { isolation } from '../tools/buildah/argv.js';
import { Buildah } from '../tools/buildah/index.js';
import type { BuildContext } from './context.js';

const STEP = 'playbooks';
const NO_PLUGIN =
  "the containers.podman collection provides the buildah connection: apt-get install ansible (Debian's package ships it) or ansible-galaxy collection install containers.podman";

/**
 * Runs every playbook of an ansible layer against ctx.container, in order, in one
 * ansible-playbook run. Throws BuildError naming the failed task and host (or ansible's
 * ERROR! message), or when no play targeted the container. ansible's temp dir inside the
 * image is removed on every path.
 */
export async function runAnsiblePlaybooks(ctx: BuildContext): Promise<void> {
  const ansible = ctx.spec.ansible;
  const container = ctx.container;
  if (ansible === undefined) throw new Error('runAnsiblePlaybooks: not an ansible layer');
  if (container === undefined) throw new Error('runAnsiblePlaybooks: no working container');
  const logger = ctx.logger.child('ansible');
  ctx.mountPoint ??= await new Buildah(ctx.logger.child('buildah'), { signal: ctx.signal, env: ctx.env }).mount(container);
  const root = ctx.mountPoint;

  const { args, env } = await prepareRun(ctx, ansible, container, root);
  logger.info(`running ${ansible.playbooks.length} playbook(s) on ${container} as a member of: ${ansible.groups.join(', ') || '(no groups)'}`);
  let result;
  try {
    result = await runPlaybook(args, { logger, env, cwd: ctx.spec.configDir, signal: ctx.signal });
  } finally {
    await removeInRoot(root, REMOTE_TMP);
  }
  if (result.error !== undefined) {
    const fallback = result.error instanceof Error ? result.error.message : 'ansible-playbook failed';
    const why = describeFailure(result.output) ?? fallback;
    throw new BuildError(STEP, why, { cause: result.error, hint: why.includes(`'${CONNECTION}' was not found`) ? NO_PLUGIN : undefined });
  }
  checkContainerWasTargeted(result.output, container, ansible);
  const recap = result.output.recap.get(container);
  logger.info(`playbooks finished: ok=${recap?.ok ?? 0} changed=${recap?.changed ?? 0}`);
}

/** Writes the inventory and extra-vars files; returns ansible-playbook's arguments and env. */
async function prepareRun(
  ctx: BuildContext,
  ansible: AnsibleSpec,
  container: string,
  root: string,
): Promise<{ args: PlaybookArgs; env: Record<string, string> }> {
  const files = await writeRunFiles(ctx.workDir, {
    host: container,
    container,
    groups: ansible.groups,
    becomeMethod: (await exists(root, SUDO)) ? undefined : 'su',
    python: (await exists(root, [PYTHON])) ? PYTHON : undefined,
  }, ansible.vars);
  const configDir = ctx.spec.configDir;
  const env = playbookEnv({
    localTmp: files.localTmp,
    isolation: isolation(ctx.env),
    rolesPath: rolesPathFor(configDir, {
      rolesDir: existsSync(join(configDir, 'roles')),
      ansibleCfg: existsSync(join(configDir, 'ansible.cfg')),
    }, ctx.env),
  });
  const args: PlaybookArgs = {
    inventories: [files.inventory, ...ansible.inventory],
    limit: container,
    extraVarsFile: files.extraVars,
    verbosity: ansible.verbosity,
    playbooks: ansible.playbooks,
  };
  return { args, env };
}

async function writeRunFiles(
  workDir: string,
  inv: InventoryInputs,
  vars: AnsibleSpec['vars'],
): Promise<{ inventory: string; extraVars?: string; localTmp: string }> {
  const dir = join(workDir, 'ansible');
  const localTmp = join(dir, 'tmp');
  await mkdir(localTmp, { recursive: true });
  const inventory = join(dir, 'image-build-inventory.yaml');
  await writeFile(inventory, inventoryYaml(inv));
  if (Object.keys(vars).length === 0) return { inventory, localTmp };
  const extraVars = join(dir, 'extra-vars.json');
  await writeFile(extraVars, extraVarsJson(vars), { mode: 0o600 });
  return { inventory, extraVars, localTmp };
}

/** ansible's default become method is sudo; images without sudo get su (util-linux). */
const SUDO = ['usr/bin/sudo', 'bin/sudo', 'usr/sbin/sudo'];
const PYTHON = '/usr/bin/python3';

/** Whether any of the image paths exists (lstat: a symlink is not followed out of the root). */
async function exists(root: string, paths: readonly string[]): Promise<boolean> {
  for (const p of paths) {
    if ((await lstatInRoot(root, p)) !== undefined) return true;
  }
  return false;
}

/** A run where no play matched the container succeeds in ansible; for a layer it is a mistake. */
function checkContainerWasTargeted(out: PlaybookOutput, container: string, ansible: AnsibleSpec): void {
  if (out.recap.has(container)) return;
  const groups = ansible.groups.length > 0 ? `groups ${ansible.groups.join(', ')}` : 'no groups';
  throw new BuildError(
    STEP,
    `no play ran against the working container: it is in ${groups} (and 'all'), and no play's hosts: pattern matched it`,
    { hint: "set options.groups to the group the playbook's hosts: line names" },
  );
}
