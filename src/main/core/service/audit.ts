// The history as an audit log (docs/ARCHITECTURE.md "Domain", RefreshEvent): the service
// records each action it performs on an account — added, edited, revoked, paused, resumed,
// removed — with who asked and how it ended. Refreshes and sign-ins are recorded by the
// engine, which runs them. A row never holds a secret: its message is ours, or a provider's
// error text, which call.ts has already redacted.
import type { HistoryAction, RefreshEventInput } from '../../../shared/domain.js';
import { ContractError, type Caller } from '../contract.js';
import { randomId } from '../ids.js';
import { ProviderError } from '../net/provider-error.js';
import type { Shared } from './context.js';

/** What a row adds beyond the action's own fields (message, HTTP status of a revoke…). */
type Details = Pick<RefreshEventInput, 'message' | 'httpStatus'>;

/** Refusals of the request itself (bad input, a name in use, no such account): nothing was done, nothing to record. */
const REFUSALS = new Set(['invalid_input', 'conflict', 'not_found', 'forbidden']);
const REFUSAL_NAMES = new Set(['DuplicateNameError', 'AccountNotFoundError']);
const isRefusal = (err: unknown): boolean => (err instanceof ContractError ? REFUSALS.has(err.code) : REFUSAL_NAMES.has((err as Error | undefined)?.name ?? ''));

/** Runs `run` and records the action with its outcome; a failure is recorded and rethrown. */
export async function audited<T>(
  s: Shared,
  caller: Caller,
  action: HistoryAction,
  account: { id: string; name: string },
  run: () => Promise<T>,
  details: (result: T) => Details = () => ({}),
): Promise<T> {
  const at = s.now();
  const started = performance.now();
  const row = (fields: Pick<RefreshEventInput, 'outcome' | 'errorClass'> & Details): RefreshEventInput => ({
    id: randomId(),
    accountId: account.id,
    accountName: account.name,
    at,
    action,
    actor: caller.actor,
    trigger: caller.actor === 'cli' ? 'cli' : 'manual',
    durationMs: performance.now() - started,
    ...fields,
  });
  let result: T;
  try {
    result = await run();
  } catch (err) {
    if (!isRefusal(err)) await s.engine.record(row(failure(err)));
    throw err;
  }
  await s.engine.record(row({ outcome: 'ok', ...details(result) }));
  return result;
}

/** The failure's class and words; an unknown error's text is never copied (it could hold anything). */
function failure(err: unknown): Pick<RefreshEventInput, 'outcome' | 'errorClass'> & Details {
  if (err instanceof ProviderError) return { outcome: 'error', errorClass: err.errorClass, httpStatus: err.httpStatus, message: err.message };
  if (err instanceof ContractError) {
    const errorClass = err.code === 'rate_limited' || err.code === 'reauth_required' || err.code === 'config_error' || err.code === 'transient' ? err.code : undefined;
    return { outcome: 'error', errorClass, message: err.message };
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && /^E[A-Z]+$/.test(code)) return { outcome: 'error', message: `Not saved: the disk refused it (${code})` };
  return { outcome: 'error', message: `Not done: ${(err as Error | undefined)?.name ?? 'internal error'}` };
}
