import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { TOKENDESK_VERSION } from '../../src/shared/version.js';

it('the version constant matches package.json', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  expect(TOKENDESK_VERSION).toBe(pkg.version);
});
