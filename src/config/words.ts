// Splits a string into argv words the way a POSIX shell would for plain words, quotes and
// backslashes, and nothing else: no variables, globs or command substitution. Used for the
// original tool's single-string options (--registry-opts-push "--tls-verify=false --creds u:p")
// and copyfiles `opts` entries ("--chmod 0644"). The words are passed as argv, never to a shell.

export class WordSplitError extends Error {}

/** Throws WordSplitError on an unterminated quote or a trailing backslash. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < text.length && '"\\$`'.includes(text.charAt(i + 1))) word += text.charAt(++i);
      else word += ch;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      inWord = true;
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '\\') {
        if (i + 1 >= text.length) throw new WordSplitError(`trailing backslash in: ${text}`);
        word += text.charAt(++i);
      } else word += ch;
    }
  }
  if (quote !== undefined) throw new WordSplitError(`unterminated ${quote} quote in: ${text}`);
  if (inWord) words.push(word);
  return words;
}
