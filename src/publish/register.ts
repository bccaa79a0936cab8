// Sends a boot configuration to BSS or boot-service (bootconfig/register.ts builds the request).
// The bearer token goes only into the Authorization header: never into a message, a log line or
// a URL. A refusal is a PublishError (exit 4) with the service's status and the start of its answer.
import type { RegisterRequest } from '../bootconfig/register.js';
import { PublishError } from '../errors/index.js';

const TIMEOUT_MS = 30_000;

/** Resolves with the service's status line; throws PublishError when it cannot be reached or does not answer 2xx. */
export async function sendRegister(r: RegisterRequest, token: string | undefined, signal: AbortSignal): Promise<string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) };
  let res: Response;
  try {
    res = await fetch(r.url, { method: r.method, headers, body: r.body, signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new PublishError('register', `cannot reach ${r.url} (${cause})`);
  }
  const text = (await res.text()).trim();
  if (!res.ok) {
    const hint = res.status === 401 || res.status === 403 ? { hint: 'set ACCESS_TOKEN to a token the service accepts' } : undefined;
    throw new PublishError('register', `${r.method} ${r.url} answered ${res.status}${text === '' ? '' : `: ${text.split('\n')[0]?.slice(0, 300) ?? ''}`}`, hint);
  }
  return `${r.method} ${r.url}: ${res.status}`;
}
