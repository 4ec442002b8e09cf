// The preload's transport under window.tokendesk, with a recording ipcRenderer: calls go
// to their own channel, unknown names never reach IPC, errors reject as plain
// {code, message}, and listeners get the payload alone (never Electron's event).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { createBridge } from '../../src/shared/bridge.js';
import { CALL_NAMES, EVENT_NAMES, callChannel, eventChannel } from '../../src/shared/ipc.js';
import { calls, events } from '../../src/shared/contract.js';
import { createElectronTransport, type IpcRendererLike } from '../../src/preload/transport.js';

function fakeIpcRenderer(reply: (channel: string, input: unknown) => unknown) {
  const invoked: [string, unknown][] = [];
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  const ipc = {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push([channel, args[0]]);
      return reply(channel, args[0]);
    },
    on: (channel: string, fn: (...args: unknown[]) => void) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), fn]);
      return ipc;
    },
    removeListener: (channel: string, fn: (...args: unknown[]) => void) => {
      listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== fn));
      return ipc;
    },
  };
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'ELECTRON-EVENT', senderId: 0 }, payload);
  };
  return { ipc: ipc as unknown as IpcRendererLike, invoked, listeners, emit };
}

describe('preload bridge over IPC', () => {
  it('lists exactly the contract names', () => {
    expect([...CALL_NAMES].sort()).toEqual(Object.keys(calls).sort());
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
  });

  it('is the frozen bridge shape: version, host, call, on — nothing else', () => {
    const bridge = createBridge(createElectronTransport(fakeIpcRenderer(() => ({ ok: true, result: [] })).ipc));
    expect(Object.keys(bridge).sort()).toEqual(['call', 'host', 'on', 'version']);
    expect(bridge).toMatchObject({ version: 1, host: 'electron' });
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends each call on its own channel and resolves with the result', async () => {
    const fake = fakeIpcRenderer(() => ({ ok: true, result: [{ id: 'a' }] }));
    const bridge = createBridge(createElectronTransport(fake.ipc));
    expect(await bridge.call('accounts.list', {})).toEqual([{ id: 'a' }]);
    await bridge.call('accounts.get', { account: 'prod' });
    expect(fake.invoked).toEqual([
      [callChannel('accounts.list'), {}],
      [callChannel('accounts.get'), { account: 'prod' }],
    ]);
  });

  it('rejects with a plain {code, message} for an error envelope', async () => {
    const bridge = createBridge(createElectronTransport(fakeIpcRenderer(() => ({ ok: false, error: { code: 'not_found', message: 'No account named x' } })).ipc));
    const err = await bridge.call('accounts.get', { account: 'x' }).catch((e: unknown) => e);
    expect(err).toEqual({ code: 'not_found', message: 'No account named x' });
    expect(err).not.toBeInstanceOf(Error);
  });

  it('never sends an unknown call over IPC', async () => {
    const fake = fakeIpcRenderer(() => ({ ok: true, result: null }));
    const bridge = createBridge(createElectronTransport(fake.ipc));
    for (const name of ['owner.shutdown', '__proto__', 'constructor', 'toString']) {
      await expect(bridge.call(name as never, {} as never)).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect(fake.invoked).toEqual([]);
  });

  it('turns an IPC failure into a transient rejection', async () => {
    const bridge = createBridge(
      createElectronTransport(
        fakeIpcRenderer(() => {
          throw new Error("Error invoking remote method 'tokendesk:call:accounts.list': reply was never sent");
        }).ipc,
      ),
    );
    await expect(bridge.call('accounts.list', {})).rejects.toMatchObject({ code: 'transient' });
  });

  it('delivers event payloads alone, and unsubscribes', () => {
    const fake = fakeIpcRenderer(() => undefined);
    const bridge = createBridge(createElectronTransport(fake.ipc));
    const got: unknown[][] = [];
    const off = bridge.on('account-removed', (...args: unknown[]) => got.push(args));
    fake.emit(eventChannel('account-removed'), { id: 'a' });
    expect(got).toEqual([[{ id: 'a' }]]);
    off();
    off(); // twice is harmless
    fake.emit(eventChannel('account-removed'), { id: 'b' });
    expect(got).toHaveLength(1);
    expect(fake.listeners.get(eventChannel('account-removed'))).toEqual([]);
  });

  it('refuses unknown events and non-function listeners', () => {
    const bridge = createBridge(createElectronTransport(fakeIpcRenderer(() => undefined).ipc));
    expect(() => bridge.on('ipc-message' as never, () => undefined)).toThrow(/Unknown event/);
    expect(() => bridge.on('account-removed', 'x' as never)).toThrow(/function/);
  });
});

describe('preload lint rule', () => {
  it('keeps zod, Node built-ins and main/renderer code out of the preload', async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    const errors = async (code: string) => {
      const [result] = await eslint.lintText(code, { filePath: 'src/preload/bad.ts' });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
    };
    expect(await errors("import { z } from 'zod';\nexport const a = z;\n")).toBe(1);
    expect(await errors("import fs from 'node:fs';\nexport const a = fs;\n")).toBe(1);
    expect(await errors("import { Owner } from '../main/core/owner/owner.js';\nexport const a = Owner;\n")).toBe(1);
    expect(await errors("import { contextBridge } from 'electron';\nimport { callChannel } from '../shared/ipc.js';\nexport const a = [contextBridge, callChannel];\n")).toBe(0);
  });
});
