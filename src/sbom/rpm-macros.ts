// Where an image's rpm keeps its database: the %_dbpath its own macro files set. Read as text,
// never by running the image's rpm. Rocky/RHEL 9 say %{_var}/lib/rpm, openSUSE and newer Fedora
// %{_usr}/lib/sysimage/rpm; older images have no rpm macros at all (the default applies).

/** Macro files in the order rpm reads them (later definitions win), as image paths. */
export const MACRO_FILES = ['/usr/lib/rpm/macros', '/usr/lib/rpm/macros.d/macros.*', '/usr/lib/rpm/redhat/macros', '/etc/rpm/macros.*', '/etc/rpm/macros'] as const;

/** Where rpm databases live when the macros do not say (tried in this order). */
export const DEFAULT_DBPATHS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'] as const;

/** What the standard path macros expand to when the files do not define them. */
const BUILTIN: Readonly<Record<string, string>> = {
  _prefix: '/usr',
  _exec_prefix: '%{_prefix}',
  _usr: '/usr',
  _var: '/var',
  _localstatedir: '/var',
  _sysconfdir: '/etc',
  _usrlibrpm: '/usr/lib/rpm',
};

const DEFINITION = /^%([A-Za-z_][A-Za-z0-9_]*)(\([^)]*\))?\s+(.*)$/;

/** Macro definitions of one file (parametric macros skipped; continuation lines joined). */
export function parseMacros(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const m = DEFINITION.exec(raw.trim());
    if (m === null || m[2] !== undefined) continue;
    out.set(m[1], (m[3]).trim());
  }
  return out;
}

/**
 * %name and %{name} expanded from `macros` (then the built-in path macros), recursively.
 * Undefined when something cannot be expanded without running rpm (%(shell), %{?cond:...},
 * unknown macros) or the expansion loops.
 */
export function expandMacro(value: string, macros: ReadonlyMap<string, string>, depth = 0): string | undefined {
  if (depth > 16) return undefined;
  let failed = false;
  const out = value.replace(/%(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_all, braced?: string, bare?: string) => {
    const name = (braced ?? bare) as string;
    const def = macros.get(name) ?? BUILTIN[name];
    const expanded = def === undefined ? undefined : expandMacro(def, macros, depth + 1);
    if (expanded === undefined) failed = true;
    return expanded ?? '';
  });
  if (failed || out.includes('%')) return undefined;
  return out;
}

/**
 * The image's %_dbpath from its macro files' texts (in MACRO_FILES order), normalised to an
 * absolute path without a trailing '/', or undefined when none sets a usable one.
 */
export function dbpathFromMacros(texts: readonly string[]): string | undefined {
  const macros = new Map<string, string>();
  for (const text of texts) for (const [k, v] of parseMacros(text)) macros.set(k, v);
  const raw = macros.get('_dbpath');
  if (raw === undefined) return undefined;
  const path = expandMacro(raw, macros)?.replace(/\/+$/, '');
  return path !== undefined && path.startsWith('/') && !path.includes('\0') ? path : undefined;
}

/** Candidate database directories, best first, without duplicates. */
export function dbpathCandidates(fromMacros: string | undefined): string[] {
  return [...new Set([...(fromMacros === undefined ? [] : [fromMacros]), ...DEFAULT_DBPATHS])];
}
