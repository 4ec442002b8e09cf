// The layer rules (docs/ARCHITECTURE.md "Layers") are enforced by ESLint; prove the rule fires.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleErrors(ruleId: string, filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === ruleId).map((m) => m.message);
}

const restrictedImportErrors = (filePath: string, code: string) => ruleErrors('no-restricted-imports', filePath, code);
const layerOrderErrors = (filePath: string, code: string) => ruleErrors('local/layer-order', filePath, code);

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

  it('rejects an import up the layers of core, whatever form the import takes', async () => {
    const upward: [string, string][] = [
      ['src/main/core/service.ts', "import { Owner } from './owner/owner.js';\nexport const a = Owner;\n"],
      ['src/main/core/net/http.ts', "import type { ProviderSpec } from '../providers/types.js';\nexport type A = ProviderSpec;\n"],
      ['src/main/core/engine/engine.ts', "export { createHandlers } from '../service.js';\n"],
      ['src/main/core/vault/vault.ts', "export const load = () => import('../engine/engine.js');\n"],
      ['src/main/core/storage/atomic.ts', "export type O = import('../owner/owner.js').Owner;\n"],
    ];
    for (const [filePath, code] of upward) {
      expect((await layerOrderErrors(filePath, code)).join(), filePath).toMatch(/a layer above it/);
    }
  });

  it('rejects an import up the layers of the renderer', async () => {
    const errors = await layerOrderErrors('src/renderer/src/state/actions.ts', "import { Toasts } from '../components/Toasts.js';\nexport const a = Toasts;\n");
    expect(errors.join()).toMatch(/state imports components, a layer above it/);
  });

  it('rejects imports between two folders of one layer, so no two folders import each other', async () => {
    expect((await layerOrderErrors('src/main/core/storage/atomic.ts', "import { sendRequest } from '../net/http.js';\nexport const a = sendRequest;\n")).join()).toMatch(/shares its layer/);
    expect((await layerOrderErrors('src/main/core/vault/vault.ts', "import { providers } from '../providers/index.js';\nexport const a = providers;\n")).join()).toMatch(/shares its layer/);
  });

  it('asks a new folder for its place in the order', async () => {
    const errors = await layerOrderErrors('src/main/core/jobs/queue.ts', "import { randomId } from '../ids.js';\nexport const a = randomId;\n");
    expect(errors.join()).toMatch(/jobs has no layer in src\/main\/core/);
  });

  it('allows imports down the layers and inside a folder', async () => {
    const code = "import { Engine } from '../engine/engine.js';\nimport { sendRequest } from '../net/http.js';\nimport { Router } from './router.js';\nexport const a = [Engine, sendRequest, Router];\n";
    expect(await layerOrderErrors('src/main/core/owner/owner.ts', code)).toEqual([]);
    expect(await layerOrderErrors('src/renderer/src/components/AccountList.tsx', "import { store } from '../state/store.js';\nimport { statusInfo } from '../lib/status.js';\nexport const a = [store, statusInfo];\n")).toEqual([]);
  });
});
