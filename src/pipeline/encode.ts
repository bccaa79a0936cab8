// What a value must be to reach a generated CI definition, and one encoder per engine. Each
// engine evaluates its own syntax before any shell or program sees a value:
// - GitHub Actions substitutes `${{ }}` in every string (run:, name:, runs-on, container);
// - Argo substitutes `{{ }}` in every template field, and Kubernetes expands `$(NAME)` (and
//   turns `$$` into `$`) in a container's command and args;
// - GitLab expands `$NAME` in the fields that are not shell (image:, tags:).
// The rule, decided once for every value (layer file names, DIR, flag values): printable text,
// no `{{` and no `}}`. Such values are refused rather than escaped, because neither GitHub nor
// Argo has an escape for them (and passing a value through GitHub's `env:` would not help: env
// values are evaluated too). `$` is carried: shell-quoted in shell lines, doubled in Kubernetes
// args, refused in GitLab's image and tags. A layer file name must not start with '-' either.

/** Control, format (invisible, bidi), surrogate, private-use and unassigned code points, line and paragraph separators. */
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;
const UNPRINTABLE_ALL = /[\p{C}\p{Zl}\p{Zp}]/gu;

const codePoint = (c: string): string => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** `value` with every unprintable character written as `\u{…}`: safe in a comment or a message. */
export function visible(value: string): string {
  return value.replace(UNPRINTABLE_ALL, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}

/** Why `value` cannot be carried into a CI definition unchanged, or undefined when it can. */
export function carryProblem(value: string): string | undefined {
  const bad = UNPRINTABLE.exec(value);
  if (bad !== null) return `contains the unprintable character ${codePoint(bad[0])}, which a CI definition cannot carry unchanged: it would break or disguise the line it is on`;
  if (value.includes('{{') || value.includes('}}')) return 'contains {{ or }}, which GitHub Actions (${{ }}) and Argo ({{ }}) expand as expressions before any shell or program sees them';
  return undefined;
}

/** Why a layer's config file (relative to the repository root) cannot be a job's --config, or undefined. */
export function layerFileProblem(file: string): string | undefined {
  return carryProblem(file) ?? (file.startsWith('-') ? "starts with '-', which the job's command line would read as an option" : undefined);
}

/** GitLab expands `$` in image: and tags:, which are not shell: a value there must not hold one. */
export function gitlabFieldProblem(value: string): string | undefined {
  return value.includes('$') ? "contains '$', which GitLab expands as a CI/CD variable in image: and tags:" : undefined;
}

/** A word of a Kubernetes container's command or args: `$` doubled, so `$(NAME)` is not expanded. */
export function kubeArg(word: string): string {
  return word.replaceAll('$', () => '$$'); // a function: in a replacement string '$$' means one '$'
}

/** Kubernetes label syntax (a nodeSelector `key=value` runner tag for Argo). */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `tag` is not a Kubernetes node label `key=value`, or undefined. */
export function nodeLabelProblem(tag: string): string | undefined {
  const eq = tag.indexOf('=');
  const key = eq < 0 ? tag : tag.slice(0, eq);
  const value = eq < 0 ? '' : tag.slice(eq + 1);
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = key.slice(slash + 1);
  const keyOk = LABEL_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && LABEL_PREFIX.test(prefix)));
  const valueOk = value === '' || LABEL_NAME.test(value);
  if (eq > 0 && keyOk && valueOk) return undefined;
  return 'Argo runner tags are Kubernetes node labels, key=value ([prefix/]name: letters, digits, -, _ and ., at most 63 each)';
}
