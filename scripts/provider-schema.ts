// Writes docs/provider-definition.schema.json from the zod schema of provider files
// (src/shared/provider-definition.ts). test/unit/provider-definition.test.ts fails when the
// committed file is not what this writes: run `node --import tsx scripts/provider-schema.ts`.
import { writeFileSync } from 'node:fs';
import { providerDefinitionJsonSchema } from '../src/shared/provider-definition.js';

writeFileSync(new URL('../docs/provider-definition.schema.json', import.meta.url), `${JSON.stringify(providerDefinitionJsonSchema(), null, 2)}\n`);
