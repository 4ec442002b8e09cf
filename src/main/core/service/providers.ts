// Provider files (README "Provider files"): check and preview one, add it to the data dir
// and to the running owner, show one, remove one no account uses. A definition that fails a
// check is refused with the JSON path of every problem, and nothing is stored.
import type { CallOutput } from '../../../shared/contract.js';
import { checkProviderDefinition, describeProblems } from '../../../shared/provider-definition-check.js';
import type { ProviderDefinition } from '../../../shared/provider-definition.js';
import { quoteKey } from '../../../shared/provider-fields.js';
import { ContractError, type Handlers } from '../contract.js';
import { ProviderError } from '../net/provider-error.js';
import { providerInfo } from '../providers/index.js';
import type { ProviderAccount, ProviderSpec } from '../providers/types.js';
import { specFromDefinition } from '../providers/definition.js';
import type { Shared } from './context.js';

/** Largest provider file accepted (the six built-ins are 2–5 KiB each). */
export const MAX_DEFINITION_BYTES = 256 * 1024;

type Preview = CallOutput<'providers.preview'>;

function checked(input: unknown): { ok: true; definition: ProviderDefinition } | { ok: false; problems: Preview['problems'] } {
  let size: number;
  try {
    size = JSON.stringify(input ?? null).length;
  } catch {
    return { ok: false, problems: [{ path: '', message: 'is not JSON' }] };
  }
  if (size > MAX_DEFINITION_BYTES) return { ok: false, problems: [{ path: '', message: `is ${size} bytes, more than ${MAX_DEFINITION_BYTES}` }] };
  const result = checkProviderDefinition(input);
  return result.ok ? result : { ok: false, problems: result.problems };
}

/** Marker values a preview account holds instead of secrets, shown as «label» afterwards. */
function previewAccount(def: ProviderDefinition, spec: ProviderSpec): { account: ProviderAccount; masks: Map<string, string> } {
  const settings: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  const masks = new Map<string, string>();
  for (const field of spec.fields) {
    if (field.secret) {
      const marker = `SECRETx${field.id.replace(/_/g, 'x')}xMASK`;
      secrets[field.id] = marker;
      masks.set(marker, `«${field.label}»`);
    } else settings[field.id] = field.default ?? field.options?.[0] ?? `<${field.label}>`;
  }
  const env = def.environments?.find((e) => e.id === def.defaultEnvironment) ?? def.environments?.[0];
  return { account: { id: 'preview', settings, secrets, environment: env?.id }, masks };
}

function mask(text: string, masks: Map<string, string>): string {
  let out = text;
  for (const [marker, shown] of masks) out = out.split(marker).join(shown).split(encodeURIComponent(shown)).join(shown);
  return out;
}

/** A header value with every secret masked; a Basic credential is shown decoded: base64(«user»:«secret»). */
function maskHeader(value: string, masks: Map<string, string>): string {
  const basic = /^Basic (.+)$/.exec(value);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    if ([...masks.keys()].some((m) => decoded.includes(m))) return `Basic base64(${mask(decoded, masks)})`;
  }
  return mask(value, masks);
}

function shortened(token: string, masks: Map<string, string>): string {
  return masks.has(token) ? masks.get(token)! : `«${token.length} characters»`;
}

export function previewDefinition(input: unknown, now: number): Preview {
  const result = checked(input);
  if (!result.ok) return { ok: false, problems: result.problems };
  const def = result.definition;
  const spec = specFromDefinition(def);
  const { account, masks } = previewAccount(def, spec);
  const preview: Preview = { ok: true, problems: [], provider: { ...providerInfo(spec), definition: def } };
  try {
    const request = spec.buildRefreshRequest(account, def.hooks?.includes('oauth2-discovery') ? { tokenUrl: account.settings['token_url'] ?? '<Token URL>' } : undefined);
    preview.request = {
      method: request.method,
      url: mask(request.url, masks),
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, maskHeader(v, masks)])),
      ...(request.body !== undefined ? { body: mask(request.body, masks) } : {}),
    };
  } catch (err) {
    preview.answerError = `The request cannot be built: ${err instanceof ProviderError ? err.message : 'unexpected error'}`;
  }
  const sample = def.refresh.answer.sample;
  if (sample !== undefined) {
    try {
      const tokens = spec.parseRefreshResponse({ status: 200, headers: { 'content-type': 'application/json' }, bodyText: JSON.stringify(sample) }, { account, sentRefreshToken: account.secrets['refresh_token'], now });
      preview.answer = {
        accessToken: shortened(tokens.accessToken, masks),
        ...(tokens.refreshToken !== undefined ? { refreshToken: shortened(tokens.refreshToken, masks) } : {}),
        rotated: tokens.rotated,
        tokenType: tokens.tokenType,
        ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
        expirySource: tokens.expirySource,
        meta: tokens.meta,
      };
    } catch (err) {
      preview.answerError = `The sample answer would be refused: ${err instanceof ProviderError ? err.message : 'unexpected error'}`;
    }
  }
  return preview;
}

function accountsUsing(s: Shared, id: string): number {
  return s.engine.list().filter((a) => a.providerId === id).length;
}

export function providerHandlers(s: Shared): Pick<Handlers, 'providers.preview' | 'providers.add' | 'providers.show' | 'providers.remove'> {
  return {
    'providers.preview': async ({ definition }) => {
      const preview = previewDefinition(definition, s.now());
      const id = preview.provider?.id;
      const stored = id ? s.ctx.providerStore?.get(id) : undefined;
      return stored && id ? { ...preview, replaces: { revision: stored.revision, accounts: accountsUsing(s, id) } } : preview;
    },

    'providers.add': async ({ definition, replace }) => {
      const store = s.ctx.providerStore;
      if (!store) throw new ContractError('invalid_input', 'This TokenDesk keeps no provider files');
      const result = checked(definition);
      if (!result.ok) throw new ContractError('invalid_input', `The provider file was refused: ${describeProblems(result.problems)}`);
      const def = result.definition;
      const old = store.get(def.id);
      if (old && !replace) throw new ContractError('conflict', `A provider file with the id ${def.id} is stored already (revision ${old.revision}); replace it to update it`);
      const entry = await store.put(def.id, definition as Record<string, unknown>, s.now());
      s.providers.define(def);
      s.engine.emit('providers-changed', { id: def.id, change: old ? 'replaced' : 'added' });
      return { provider: { ...providerInfo(s.providers.spec(def.id)!), definition: def }, revision: entry.revision, replaced: Boolean(old) };
    },

    'providers.show': async ({ id }) => {
      const spec = s.providers.spec(id);
      if (!spec) throw new ContractError('not_found', `No provider ${quoteKey(id)} (see \`tokendesk providers\`)`);
      const def = s.providers.definition(id);
      const stored = s.ctx.providerStore?.get(id);
      return {
        provider: def ? { ...providerInfo(spec), definition: def } : providerInfo(spec),
        builtIn: s.providers.isBuiltIn(id),
        ...(stored ? { revision: stored.revision, addedAt: stored.addedAt, updatedAt: stored.updatedAt } : {}),
        accounts: accountsUsing(s, id),
      };
    },

    'providers.remove': async ({ id }) => {
      if (s.providers.isBuiltIn(id)) throw new ContractError('invalid_input', `${id} is built into TokenDesk and cannot be removed`);
      const store = s.ctx.providerStore;
      if (!store?.get(id)) throw new ContractError('not_found', `No provider file ${quoteKey(id)}`);
      const using = s.engine.list().filter((a) => a.providerId === id);
      if (using.length) {
        const names = using.slice(0, 5).map((a) => a.name).join(', ');
        throw new ContractError('conflict', `${using.length} account${using.length === 1 ? '' : 's'} use${using.length === 1 ? 's' : ''} ${id} (${names}${using.length > 5 ? '…' : ''}): remove them first`);
      }
      await store.remove(id);
      s.providers.forget(id);
      s.engine.emit('providers-changed', { id, change: 'removed' });
      return { id, removed: true };
    },
  };
}
