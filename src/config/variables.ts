// Config variables: `~{name}` in any string value of a layer config is replaced by the value of
// `name`. Pure. Why this syntax (docs/config.md "Variables"): `$x`, `${x}` and `$(x)` are shell
// in `cmds` and dnf's own `$basearch` in repo URLs; `{{ x }}`, `{% %}` and `{# #}` are Jinja in
// Ansible vars; `%{x}` is an RPM macro; `@{x}` and `%x` cannot start a plain YAML scalar. A
// tilde followed by a brace means nothing to bash (a user named "{x}" at most), Jinja, dnf or
// YAML, so no existing config changes meaning. `~~{` writes a literal `~{`.
import { parseArch, type Arch } from '../model/arch.js';

/** What a variable name may be: a letter or underscore, then letters, digits, underscores. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `~{...}` or the escape `~~{...}`; the name is checked after matching, so `~{a b}` is an error, not text. */
const REFERENCE = /(~~?)\{([^}\n]*)\}/g;

/** A problem in one string: an undefined variable or a malformed name, at `index` in the string. */
export interface RenderProblem {
  readonly index: number;
  /** The text as written, `~{name}`. */
  readonly token: string;
  readonly message: string;
}

export interface Rendered {
  readonly text: string;
  readonly problems: readonly RenderProblem[];
  /** Names of the variables the string used. */
  readonly used: readonly string[];
}

/** True when the string holds a reference or an escape (most strings do not: nothing to do). */
export function hasReference(text: string): boolean {
  return text.includes('~{');
}

/** `text` with every `~{name}` replaced by `values[name]`; undefined names are problems. */
export function renderString(text: string, values: ReadonlyMap<string, string>): Rendered {
  const problems: RenderProblem[] = [];
  const used: string[] = [];
  const out = text.replace(REFERENCE, (token: string, tildes: string, name: string, index: number) => {
    if (tildes === '~~') return token.slice(1);
    if (!VARIABLE_NAME.test(name)) {
      problems.push({ index, token, message: `invalid variable name ${JSON.stringify(name)} in ${token}: letters, digits and _, not starting with a digit (write ~~{ for a literal ~{)` });
      return token;
    }
    const value = values.get(name);
    if (value === undefined) {
      const known = [...values.keys()].sort();
      problems.push({ index, token, message: `undefined variable "${name}" (${known.length === 0 ? 'no variables are defined' : `defined: ${known.join(', ')}`})` });
      return token;
    }
    if (!used.includes(name)) used.push(name);
    return value;
  });
  return { text: out, problems, used };
}

/** A variable's value as written: a string (unquoted numbers keep their text), or `{env: NAME}` (read from the run's environment). */
export type VariableValue = string | { readonly env: string };

/** One place variables are defined: a variables file or the layer config. */
export interface VariableSource {
  readonly variables?: Readonly<Record<string, VariableValue>>;
  /** Keyed by any architecture spelling (x86_64, amd64, aarch64, arm64...). */
  readonly variables_per_arch?: Readonly<Record<string, Readonly<Record<string, VariableValue>>>>;
}

/** Where a value came from, for messages and masking. */
export interface Definition {
  readonly value: VariableValue;
  /** Index of the source in the list given to mergeSources (later sources win). */
  readonly source: number;
  /** The architecture key it was defined under, when per-architecture. */
  readonly archKey?: string;
}

/**
 * The definitions in effect for `arch`: sources in order (later wins); within a source, the
 * architecture's values over the plain ones.
 */
export function mergeSources(sources: readonly VariableSource[], arch: Arch | undefined): Map<string, Definition> {
  const out = new Map<string, Definition>();
  sources.forEach((s, source) => {
    for (const [name, value] of Object.entries(s.variables ?? {})) out.set(name, { value, source });
    if (arch === undefined) return;
    for (const [archKey, values] of Object.entries(s.variables_per_arch ?? {})) {
      if (parseArch(archKey) !== arch) continue;
      for (const [name, value] of Object.entries(values)) out.set(name, { value, source, archKey });
    }
  });
  return out;
}

/** True when some source defines a value per architecture (then each architecture renders apart). */
export function hasPerArch(sources: readonly VariableSource[]): boolean {
  return sources.some((s) => Object.keys(s.variables_per_arch ?? {}).length > 0);
}
