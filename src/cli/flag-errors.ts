// commander's parse errors quote the value given ("option '--vars <var...>' argument '{...}' is
// invalid."). A flag value can hold a password (--vars, --registry-opts-push --creds, --proxy)
// that no one registered for masking yet, so flag errors never repeat the value: they name the
// flag and say what was expected.

/** The commander error text without the rejected value (and without an unknown option's `=value`). */
export function hideFlagValues(message: string): string {
  return message
    .replace(/ argument '[\s\S]*' is invalid\./, ' has an invalid value (not repeated here: it may hold a secret).')
    .replace(/(unknown option '--?[^'=\s]*)=[^']*'/, "$1=…'");
}
