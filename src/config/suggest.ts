// "Did you mean ...?" for unknown keys and values: the closest candidate by edit distance.

/** Levenshtein distance (insert, delete, substitute, each cost 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate closest to `word`, if it is close enough to be a plausible typo: at most a third
 * of the word's length (minimum 2) edits away. Comparison ignores case and '-' vs '_'.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/-/g, '_');
  const w = norm(word);
  const limit = Math.max(2, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, norm(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Names an admin may write for a value we spell differently (no edit distance finds them). */
const SYNONYMS: Readonly<Record<string, string>> = { yum: 'dnf', microdnf: 'dnf', tdnf: 'dnf', 'apt-get': 'apt', aptitude: 'apt', zypp: 'zypper' };

/** "Did you mean" for an allowed value: a known synonym (yum -> dnf), else the closest spelling. */
export function suggestValue(word: string, allowed: readonly string[]): string | undefined {
  const synonym = SYNONYMS[word.trim().toLowerCase()];
  return synonym !== undefined && allowed.includes(synonym) ? synonym : closest(word, allowed);
}
