// Provider files (README "Provider files"): the shipped definitions pass their checks, the
// published JSON Schema is what the zod schema generates, and problems carry JSON paths.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../src/shared/domain.js';
import { checkProviderDefinition } from '../../src/shared/provider-definition-check.js';
import { providerDefinitionJsonSchema } from '../../src/shared/provider-definition.js';

const read = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const ledgerly = () => read('examples/providers/ledgerly.json');

describe('provider definitions', () => {
  it('the built-ins and the example pass every check', () => {
    for (const id of PROVIDER_IDS) {
      const result = checkProviderDefinition(read(`src/main/core/providers/definitions/${id}.json`), { builtIn: true });
      expect(result.ok ? [] : result.problems, id).toEqual([]);
    }
    const result = checkProviderDefinition(ledgerly());
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('docs/provider-definition.schema.json is the schema the zod schema generates (node --import tsx scripts/provider-schema.ts)', () => {
    expect(read('docs/provider-definition.schema.json')).toEqual(JSON.parse(JSON.stringify(providerDefinitionJsonSchema())));
  });

  it('names the JSON path of each problem', () => {
    const def = ledgerly() as { refresh: { answer: { accessToken: string } } };
    def.refresh.answer.accessToken = '/data/auth/access';
    const result = checkProviderDefinition(def);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toContainEqual({ path: '/refresh/answer/accessToken', message: 'pointer matches nothing in the sample' });
    const builtInId = { ...ledgerly(), id: 'ups' };
    const refused = checkProviderDefinition(builtInId);
    expect(refused.ok ? [] : refused.problems.map((p) => p.path)).toEqual(['/id']);
  });
});
