// Builds (or finds in the cache) the whole served tree of fixture repos.
export interface BuiltRepos {
  /** Root of the served tree (pub/rocky/..., pub/epel/..., unsigned/). */
  readonly dir: string;
  /** Long key ids (16 lower-case hex chars). */
  readonly keyIds: { readonly rocky: string; readonly epel: string };
  /** Package name -> path of its .rpm relative to dir. */
  readonly rpms: Readonly<Record<string, string>>;
}

/** Builds the fixture repos into the cache (once per content key) and returns where they are. */
export function buildRpmRepos(): Promise<BuiltRepos> {
  return Promise.reject(new Error('not implemented yet'));
}
