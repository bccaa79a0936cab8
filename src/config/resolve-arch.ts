// options.architectures / --arch: names as admins write them (x86_64 or amd64, aarch64 or
// arm64, any case) -> canonical names, duplicates dropped, order kept. Default: the host's.
import { ARCH_SPELLINGS, hostArch, parseArch, type Arch } from '../model/arch.js';
import { closest } from './suggest.js';
import { originOf, report, toList, type ResolveContext } from './resolve-context.js';

export function resolveArchitectures(ctx: ResolveContext, host: Arch = hostArch()): readonly Arch[] {
  const given = ctx.cli.architectures ?? toList(ctx.options.architectures) ?? [];
  const origin = originOf(ctx, 'architectures', 'architectures');
  const out: Arch[] = [];
  for (const name of given) {
    const arch = parseArch(name);
    if (arch === undefined) {
      const guess = closest(name.toLowerCase(), ARCH_SPELLINGS);
      const hint = guess === undefined ? '' : ` (did you mean '${guess}'?)`;
      report(ctx, origin, `unknown architecture ${JSON.stringify(name)}${hint}: expected one of ${ARCH_SPELLINGS.join(', ')}`);
    } else if (!out.includes(arch)) out.push(arch);
  }
  return out.length > 0 ? out : [host];
}
