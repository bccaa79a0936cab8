// Version ordering for kernel versions (the /lib/modules directory names), following rpm's
// rpmvercmp: alternating runs of digits and letters are compared, digits numerically and
// letters as strings; a digit run beats a letter run; '~' sorts before anything (pre-releases),
// '^' after the base version. Debian's "6.1.0-18-amd64" orders correctly under the same rules.

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isAlnum = (c: string | undefined): boolean => isDigit(c) || isAlpha(c);

/** Negative when a < b, positive when a > b, 0 when equal. */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]);
    const take = numeric ? isDigit : isAlpha;
    const si = i;
    while (i < a.length && take(a[i])) i++;
    const sj = j;
    while (j < b.length && take(b[j])) j++;
    const sa = a.slice(si, i);
    const sb = b.slice(sj, j);
    // Different kinds of segment: the numeric one is newer.
    if (sb === '') return numeric ? 1 : -1;
    const d = numeric ? compareNumeric(sa, sb) : compareText(sa, sb);
    if (d !== 0) return d;
  }
  const aLeft = i < a.length;
  const bLeft = j < b.length;
  if (!aLeft && !bLeft) return 0;
  return aLeft ? 1 : -1;
}

function compareNumeric(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  return compareText(x, y);
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Newest first; ties (equal under rpmvercmp) fall back to plain string order for stability. */
export function sortNewestFirst(versions: readonly string[]): string[] {
  return [...versions].sort((x, y) => compareVersions(y, x) || compareText(x, y));
}
