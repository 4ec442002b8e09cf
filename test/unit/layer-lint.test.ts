// The layer rules (docs/ARCHITECTURE.md "Layers") are enforced by ESLint; prove the rule fires.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer lint rules', () => {
  it('rejects electron in src/main/core', async () => {
    const errors = await restrictedImportErrors('src/main/core/bad.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(errors.join()).toMatch(/without Electron/);
  });

  it('rejects electron in src/shared', async () => {
    const errors = await restrictedImportErrors('src/shared/bad.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('rejects Node built-ins in src/renderer, with or without the node: prefix', async () => {
    for (const mod of ['fs', 'node:fs', 'child_process', 'node:path']) {
      const errors = await restrictedImportErrors('src/renderer/src/bad.tsx', `import x from '${mod}';\nexport const a = x;\n`);
      expect(errors.join(), mod).toMatch(/Node built-ins/);
    }
  });

  it('allows electron in src/main/app and zod in core', async () => {
    expect(await restrictedImportErrors('src/main/app/ok.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await restrictedImportErrors('src/main/core/ok.ts', "import { z } from 'zod';\nexport const a = z;\n")).toEqual([]);
  });
});
