// The HTTP request that loads a boot configuration into a boot service (pure):
//   bss           PUT  <url>/boot/v1/bootparameters  BootParams (replaces; what `ochami bss boot params set` does)
//   boot-service  POST <url>/bootconfigurations      CreateBootConfigurationRequest {metadata, spec}
// Routes and bodies as OpenCHAMI/bss cmd/boot-script-service/routers.go and
// OpenCHAMI/boot-service cmd/server/{routes,models}_generated.go define them. The bearer token
// is never part of the request as described here: the sender adds it.
import type { BootConfig } from './document.js';
import { bootConfiguration, bssBootParams } from './render.js';

export type RegisterFormat = 'bss' | 'boot-service';

export interface RegisterRequest {
  readonly method: 'PUT' | 'POST';
  readonly url: string;
  /** JSON. */
  readonly body: string;
}

export const TOKEN_ENV = 'ACCESS_TOKEN';

export function registerRequest(c: BootConfig, format: RegisterFormat, service: string): RegisterRequest {
  const base = service.replace(/\/+$/, '');
  if (format === 'bss') return { method: 'PUT', url: `${base}/boot/v1/bootparameters`, body: `${JSON.stringify(bssBootParams(c), null, 2)}\n` };
  const { metadata, spec } = bootConfiguration(c);
  return { method: 'POST', url: `${base}/bootconfigurations`, body: `${JSON.stringify({ metadata, spec }, null, 2)}\n` };
}

/** What --dry-run prints: the request line, headers (the token as ***) and body. */
export function describeRequest(r: RegisterRequest, withToken: boolean): string {
  const headers = ['Content-Type: application/json', ...(withToken ? ['Authorization: Bearer ***'] : [])];
  return `${r.method} ${r.url}\n${headers.join('\n')}\n\n${r.body}`;
}
