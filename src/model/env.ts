// The environment a run was started with. The CLI reads the process environment once, at its
// edge (src/cli/main.ts), and every consumer (S3 keys, TMPDIR, SOURCE_DATE_EPOCH,
// BUILDAH_ISOLATION ...) takes it from the run's context, never from the process.
export type Env = Readonly<Record<string, string | undefined>>;
