// /etc/os-release parsing (os-release(5)): KEY=value lines, values optionally quoted with shell
// quoting rules. The rootfs object is named after ID and VERSION_ID, as the original tool does.

export type OsRelease = Readonly<Record<string, string>>;

export interface OsIdentity {
  /** ID, lower-cased ("rocky"); "linux" when the file has none (the os-release(5) default). */
  readonly id: string;
  /** VERSION_ID, lower-cased ("9.5"); "" when absent (rolling releases). */
  readonly versionId: string;
  /** `<id><versionId>`, the first part of the rootfs name ("rocky9.5"). */
  readonly label: string;
}

/** Parses os-release text; unknown syntax on a line skips that line (the file is informational). */
export function parseOsRelease(text: string): OsRelease {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    out[key] = unquote(line.slice(eq + 1).trim());
  }
  return out;
}

/** Removes one level of shell quoting: "a \"b\"" -> a "b"; 'x' -> x; bare words unchanged. */
function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\([\\"$`])/g, '$1');
  }
  // Unbalanced or stray quotes: the original tool strips every double quote; do the same.
  return value.replace(/"/g, '');
}

/**
 * ID and VERSION_ID, lower-cased with quotes stripped. Characters that would change the key's
 * structure ('/' and whitespace) are replaced by '_' so a strange os-release cannot create
 * extra key levels.
 */
export function osIdentity(release: OsRelease): OsIdentity {
  const clean = (v: string | undefined): string => (v ?? '').toLowerCase().replace(/[\s/]+/g, '_');
  const id = clean(release.ID) || 'linux';
  const versionId = clean(release.VERSION_ID);
  return { id, versionId, label: `${id}${versionId}` };
}
