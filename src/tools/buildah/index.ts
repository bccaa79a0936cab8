// Thin buildah calls through the one runner. Quirks: buildah writes progress ("Getting image
// source signatures", "Copying blob") to stderr; we log it at INFO rather than as warnings.
import { CommandError } from '../../errors/index.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, type LineClassifier } from '../../exec/index.js';
import { tempBase } from '../../fs/scratch.js';
import type { LogLevel, Logger } from '../../log/logger.js';
import type { Env } from '../../model/env.js';
import * as argv from './argv.js';
import type { Platform } from '../../model/variant.js';

const progress: LineClassifier = (line, stream) => {
  if (stream === 'stdout') return 'DEBUG';
  return /^(Trying to pull|Getting image source signatures|Copying (blob|config)|Writing manifest|Storing signatures)/.test(
    line,
  )
    ? 'INFO'
    : 'WARNING';
};

/**
 * Runs fn with `--creds` replaced by `--authfile` (a 0600 file in a private temp dir under the
 * run's temp base, removed afterwards), so the password never appears on a command line.
 * skopeo reads the same file.
 */
export async function withAuthFile<T>(opts: readonly string[], host: string, env: Env, fn: (opts: readonly string[]) => Promise<T>): Promise<T> {
  const split = argv.splitCreds(opts);
  if (split.creds === undefined) return fn(opts);
  const dir = await mkdtemp(join(tempBase(env), 'image-build-auth-'));
  try {
    const file = join(dir, 'auth.json');
    await writeFile(file, argv.authFileContent(host, split.creds), { mode: 0o600 });
    return await fn([...split.opts, '--authfile', file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface BuildahOptions {
  /** Kills a running command (a layer's AbortSignal, or the run's); cleanup commands ignore it. */
  readonly signal: AbortSignal;
  /** The run's environment: BUILDAH_ISOLATION for `buildah run`, the temp base of auth files. */
  readonly env: Env;
  /**
   * buildah's TMPDIR for pulls and commits: a pull killed by Ctrl-C leaves its temp `storage*`
   * directory behind, so callers pass a private dir their cleanup removes (src/fs/scratch.ts).
   * Unset: buildah's own default.
   */
  readonly tmpDir?: string;
}

export class Buildah {
  private readonly signal: AbortSignal;
  private readonly env: Env;
  /** TMPDIR of the commands that stage image data (from, commit); unset: buildah's own default. */
  private readonly stagingEnv: Record<string, string> | undefined;

  constructor(
    private readonly logger: Logger,
    opts: BuildahOptions,
  ) {
    this.signal = opts.signal;
    this.env = opts.env;
    this.stagingEnv = opts.tmpDir === undefined ? undefined : { TMPDIR: opts.tmpDir };
  }

  /** Creates a working container (pulling the parent when needed); returns its id. */
  async from(parent: string, name: string, pullOpts: readonly string[], platform?: Platform): Promise<string> {
    const res = await withAuthFile(pullOpts, argv.registryHost(parent), this.env, (opts) =>
      run(argv.fromArgs(parent, name, opts, platform), { logger: this.logger, signal: this.signal, capture: true, classify: progress, env: this.stagingEnv }),
    );
    const id = res.stdoutLines.filter((l) => l.trim() !== '').pop();
    if (id === undefined) throw new Error('buildah from printed no container name');
    return id.trim();
  }

  /** The id of the image `container` was created from (no "sha256:" prefix). */
  async containerImageId(container: string): Promise<string> {
    const res = await run(argv.containerImageIdArgs(container), { logger: this.logger, signal: this.signal, capture: true });
    return res.stdout.trim().replace(/^sha256:/, '');
  }

  async annotate(container: string, annotations: Readonly<Record<string, string>>): Promise<void> {
    await run(argv.annotateArgs(container, annotations), { logger: this.logger, signal: this.signal });
  }

  /**
   * Removes image `id` when no name holds it any more (a name moved to a newer image); an image
   * a container still uses stays. Never throws for "in use" or "already gone".
   */
  async removeIfDangling(id: string): Promise<boolean> {
    const res = await run(argv.danglingImagesArgs(), { logger: this.logger, capture: true, cancellable: false });
    const bare = id.replace(/^sha256:/, '');
    if (!res.stdoutLines.some((l) => l.trim().replace(/^sha256:/, '') === bare)) return false;
    try {
      await this.rmi([bare]);
      return true;
    } catch (err) {
      if (err instanceof CommandError) {
        this.logger.debug(`image ${bare.slice(0, 12)} stays: ${err.stderrTail.at(-1) ?? err.message}`);
        return false;
      }
      throw err;
    }
  }

  async mount(container: string): Promise<string> {
    const res = await run(argv.mountArgs(container), { logger: this.logger, signal: this.signal, capture: true });
    const path = res.stdoutLines.filter((l) => l.trim() !== '').pop();
    if (path === undefined) throw new Error('buildah mount printed no path');
    return path.trim();
  }

  async umount(container: string): Promise<void> {
    await run(argv.umountArgs(container), { logger: this.logger, signal: this.signal, cancellable: false });
  }

  /** Removes a container or image name that may not exist (yet): "not known" is success. */
  async removeIfPresent(kind: 'container' | 'image', name: string): Promise<void> {
    try {
      await (kind === 'container' ? this.rm(name) : this.rmi([name]));
    } catch (err) {
      if (err instanceof CommandError && err.stderrTail.some((l) => /not known|no such|does not exist|unknown/i.test(l))) return;
      throw err;
    }
  }

  async rm(container: string): Promise<void> {
    // stderr is in the error when it fails; "not known" from a cleanup is not worth a warning.
    await run(argv.rmArgs(container), { logger: this.logger, signal: this.signal, cancellable: false, stdoutLevel: 'DEBUG', stderrLevel: 'DEBUG' });
  }

  async run(
    container: string,
    command: readonly string[],
    opts: {
      extra?: readonly string[];
      env?: Readonly<Record<string, string>>;
      stdoutLevel?: LogLevel;
      stderrLevel?: LogLevel;
      classify?: LineClassifier;
      okExitCodes?: readonly number[];
    } = {},
  ): Promise<void> {
    await run(argv.runArgs(container, command, { isolation: argv.isolation(this.env), extra: opts.extra, env: opts.env }), {
      logger: this.logger,
      signal: this.signal,
      stdoutLevel: opts.stdoutLevel ?? 'INFO',
      stderrLevel: opts.stderrLevel ?? 'WARNING',
      classify: opts.classify,
      okExitCodes: opts.okExitCodes,
    });
  }

  async copy(container: string, src: string, dest: string, opts: readonly string[]): Promise<void> {
    await run(argv.copyArgs(container, src, dest, opts), { logger: this.logger, signal: this.signal });
  }

  async config(container: string, labels: Readonly<Record<string, string>>, platform?: Platform): Promise<void> {
    await run(argv.configArgs(container, labels, platform), { logger: this.logger, signal: this.signal });
  }

  /** The OCI architecture of the container's image (amd64, arm64, ...). */
  async containerArch(container: string): Promise<string> {
    const res = await run(argv.containerArchArgs(container), { logger: this.logger, signal: this.signal, capture: true });
    return res.stdout.trim();
  }

  /**
   * Creates the manifest list `list`, replacing a list of that name, or taking the name from a
   * plain image (the layer's earlier single-architecture output).
   */
  async manifestCreate(list: string): Promise<void> {
    if (await this.succeeds(argv.manifestInspectArgs(list))) await run(argv.manifestRmArgs(list), { logger: this.logger, signal: this.signal, stdoutLevel: 'DEBUG' });
    else if (await this.imageExists(list)) await this.rmi([list]);
    await run(argv.manifestCreateArgs(list), { logger: this.logger, signal: this.signal, stdoutLevel: 'DEBUG' });
  }

  async manifestAdd(list: string, image: string, platform: Platform): Promise<void> {
    await run(argv.manifestAddArgs(list, image, platform), { logger: this.logger, signal: this.signal, stdoutLevel: 'DEBUG' });
  }

  async manifestPush(list: string, destination: string, opts: readonly string[]): Promise<void> {
    await withAuthFile(opts, argv.registryHost(destination), this.env, (o) =>
      run(argv.manifestPushArgs(list, destination, o), { logger: this.logger, signal: this.signal, classify: progress }),
    );
  }

  /** Writes the manifest list and every image in it to the OCI layout `dir` under `name` (argv.manifestLayoutArgs). */
  async manifestPushToLayout(list: string, dir: string, name: string): Promise<void> {
    await run(argv.manifestLayoutArgs(list, dir, name), { logger: this.logger, signal: this.signal, classify: progress });
  }

  /** The entries of a manifest list in local storage, or undefined when `list` is not one. */
  async manifestEntries(list: string): Promise<{ digest: string; arch: string }[] | undefined> {
    try {
      const res = await run(argv.manifestInspectArgs(list), { logger: this.logger, signal: this.signal, capture: true, stderrLevel: 'DEBUG' });
      const data = JSON.parse(res.stdout) as { manifests?: { digest?: string; platform?: { architecture?: string } }[] };
      return (data.manifests ?? []).map((m) => ({ digest: m.digest ?? '', arch: m.platform?.architecture ?? '' }));
    } catch (err) {
      if (err instanceof CommandError) return undefined;
      throw err;
    }
  }

  async manifestRm(list: string): Promise<void> {
    await run(argv.manifestRmArgs(list), { logger: this.logger, cancellable: false, stdoutLevel: 'DEBUG' });
  }

  /** True when `buildah inspect --type image` finds `image`. */
  async imageExists(image: string): Promise<boolean> {
    return this.succeeds(argv.inspectImageArgs(image));
  }

  private async succeeds(command: readonly string[]): Promise<boolean> {
    try {
      await run(command, { logger: this.logger, signal: this.signal, stdoutLevel: 'DEBUG', stderrLevel: 'DEBUG' });
      return true;
    } catch (err) {
      if (err instanceof CommandError) return false;
      throw err;
    }
  }

  /** Commits the container to a new unnamed image; returns the image id. */
  async commit(container: string, name?: string): Promise<string> {
    const res = await run(argv.commitArgs(container, name), { logger: this.logger, signal: this.signal, capture: true, classify: progress, env: this.stagingEnv });
    const id = res.stdoutLines.filter((l) => l.trim() !== '').pop();
    if (id === undefined) throw new Error('buildah commit printed no image id');
    return id.trim();
  }

  async tag(image: string, names: readonly string[]): Promise<void> {
    await run(argv.tagArgs(image, names), { logger: this.logger, signal: this.signal });
  }

  async rmi(images: readonly string[]): Promise<void> {
    await run(argv.rmiArgs(images), { logger: this.logger, signal: this.signal, cancellable: false, stdoutLevel: 'DEBUG', stderrLevel: 'DEBUG' });
  }

  async push(image: string, destination: string, opts: readonly string[]): Promise<void> {
    await withAuthFile(opts, argv.registryHost(destination), this.env, (o) =>
      run(argv.pushArgs(image, destination, o), { logger: this.logger, signal: this.signal, classify: progress }),
    );
  }

  /** Writes `image` to the OCI layout `dir` under `name` (see argv.ociPushArgs). */
  async pushToLayout(image: string, dir: string, name: string, opts: readonly string[]): Promise<void> {
    await run(argv.ociPushArgs(image, dir, name, opts), { logger: this.logger, signal: this.signal, classify: progress });
  }

  /**
   * Labels and digest of an image in local storage, or undefined when there is no such image.
   * Throws CommandError for any other failure.
   */
  async localImage(ref: string): Promise<{ id: string; manifestDigest: string; labels: Readonly<Record<string, string>> } | undefined> {
    try {
      const data = (await this.inspectImage(ref)) as { FromImageID?: string; FromImageDigest?: string; OCIv1?: { config?: { Labels?: Record<string, string> | null } } };
      return { id: data.FromImageID ?? '', manifestDigest: data.FromImageDigest ?? '', labels: data.OCIv1?.config?.Labels ?? {} };
    } catch (err) {
      if (err instanceof CommandError && err.stderrTail.some((l) => /image not known|no such image/i.test(l))) return undefined;
      throw err;
    }
  }

  /** `buildah inspect --type image` as parsed JSON. */
  async inspectImage(image: string): Promise<unknown> {
    const res = await run(argv.inspectImageArgs(image), { logger: this.logger, signal: this.signal, capture: true, stderrLevel: 'DEBUG' });
    return JSON.parse(res.stdout) as unknown;
  }
}
