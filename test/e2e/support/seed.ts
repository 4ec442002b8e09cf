// Many accounts at once, for the 1,000-account e2e test and bench/renderer: every provider,
// each with a supplied access token whose lifetime is hours, so nothing needs refreshing
// while the page is measured (their endpoint is a closed loopback port).
import { PROVIDER_IDS, type ProviderId } from '../../../src/shared/domain.js';
import type { Served } from './serve.js';

const DEAD = 'http://127.0.0.1:9';

function valuesFor(provider: ProviderId, i: number): Record<string, string> {
  const rt = `rt_seed_${i}_${'x'.repeat(24)}`;
  switch (provider) {
    case 'ups':
      return { client_id: `client-${i}`, client_secret: `secret_${i}_seed`, refresh_token: rt };
    case 'pathstack':
      return { sub: `3f2b8c1e-1111-4222-8333-${String(i).padStart(12, '0')}`, refresh_token: rt };
    case 'vaultist':
      return { partner_id: String(1000 + i), refresh_token: rt };
    case 'oauth2':
      return { client_id: `client-${i}`, client_secret: `secret_${i}_seed`, token_url: `${DEAD}/token`, refresh_token: rt };
    default:
      return { refresh_token: rt };
  }
}

const PROVIDERS = PROVIDER_IDS;

/** Adds `count` accounts through the contract, `concurrency` calls in flight. Returns ms taken. */
export async function seedAccounts(served: Pick<Served, 'call'>, count: number, concurrency = 16): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const providerId = PROVIDERS[i % PROVIDERS.length]!;
      await served.call('accounts.add', {
        providerId,
        name: `${providerId}-${String(i).padStart(4, '0')}`,
        ...(providerId === 'oauth2' ? {} : { baseUrl: DEAD }),
        values: { ...valuesFor(providerId, i), access_token: `at_seed_${i}_${'y'.repeat(24)}` },
        // 2 h … ~26 h: spread over the day, none due during a test.
        accessTokenExpiresInSeconds: 7200 + ((i * 7919) % 86_400),
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - started;
}
