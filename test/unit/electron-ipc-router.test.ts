// The IPC router with recording stand-ins for ipcMain, windows and frames: every
// contract call gets a handler, foreign senders and bad payloads are refused as
// {ok:false, error:{code, message}}, the copy hook keeps the token out of the reply,
// and events reach only our window.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { calls, events, type CallName } from '../../src/shared/contract.js';
import { callChannel, eventChannel, type IpcReply } from '../../src/shared/ipc.js';
import { isDashboardUrl } from '../../src/main/app/app-protocol.js';
import { FOREIGN_SENDER_MESSAGE, forwardEvents, registerContractIpc, senderCheck, type IpcMainLike, type WindowLike } from '../../src/main/app/ipc-router.js';
import { ContractError, type Handlers } from '../../src/main/core/contract.js';
import { Router } from '../../src/main/core/owner/router.js';

type Listener = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, fn) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn as Listener);
    },
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

let nextId = 1;
function fakeWindow(url = 'tokendesk://app/index.html') {
  const mainFrame = { url, processId: 3, routingId: nextId++, parent: null as unknown };
  const sent: unknown[][] = [];
  const win = {
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    webContents: {
      id: nextId++,
      mainFrame,
      isDestroyed: () => win.destroyed,
      getURL: () => mainFrame.url,
      send: (channel: string, ...args: unknown[]) => sent.push([channel, ...args]),
    },
  };
  const event = (frame: unknown = mainFrame) => ({ sender: win.webContents, senderFrame: frame }) as never;
  return { win: win as WindowLike & { destroyed: boolean }, mainFrame, sent, event };
}

const ACCOUNT = {
  id: 'a1', name: 'prod', providerId: 'ups', settings: {}, paused: false, status: 'active', createdAt: 1, updatedAt: 1, notSaved: false, hasAccessToken: true, retryAttempt: 0,
};

function stubHandlers(overrides: Partial<Handlers> = {}): Handlers {
  const notUsed = async () => {
    throw new Error('not used');
  };
  const base = Object.fromEntries(Object.keys(calls).map((n) => [n, notUsed])) as unknown as Handlers;
  return {
    ...base,
    'accounts.list': async () => [ACCOUNT as never],
    'accounts.get': async ({ account }) => {
      if (account !== 'prod') throw new ContractError('not_found', `No account named ${account}`);
      return ACCOUNT as never;
    },
    'accounts.copy': async () => ({ copied: false, text: 'SECRET-TOKEN' }),
    ...overrides,
  };
}

function setup(after?: Parameters<typeof registerContractIpc>[0]['after']) {
  const { ipcMain, handlers } = fakeIpcMain();
  const w = fakeWindow();
  const refused = vi.fn();
  const dispose = registerContractIpc({
    ipcMain,
    router: new Router(stubHandlers()),
    isTrustedSender: senderCheck(() => w.win, (url) => isDashboardUrl(url)),
    after,
    onRefused: refused,
  });
  const invoke = (name: CallName | string, event: unknown, ...args: unknown[]) => handlers.get(callChannel(name as CallName))!(event, ...args) as Promise<IpcReply>;
  return { handlers, w, invoke, refused, dispose };
}

describe('IPC router', () => {
  it('registers exactly one handler per contract call, and removes them all', () => {
    const { handlers, dispose } = setup();
    expect([...handlers.keys()].sort()).toEqual(Object.keys(calls).map((n) => `tokendesk:call:${n}`).sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('answers our dashboard main frame with an ok envelope', async () => {
    const { invoke, w } = setup();
    expect(await invoke('accounts.list', w.event(), {})).toEqual({ ok: true, result: [ACCOUNT] });
  });

  it('refuses bad payloads with invalid_input, as an envelope rather than a throw', async () => {
    const { invoke, w } = setup();
    for (const bad of [{ account: 5 }, { account: '' }, 'prod', null, [1, 2], { account: 'x'.repeat(500) }]) {
      const reply = await invoke('accounts.get', w.event(), bad);
      expect(reply, JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(await invoke('accounts.list', w.event(), {}, 'extra')).toEqual({ ok: false, error: { code: 'invalid_input', message: 'accounts.list takes one argument' } });
  });

  it('every call over IPC is the dashboard\'s (its history rows say so); the owner\'s own calls are not', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const w = fakeWindow();
    const callers: unknown[] = [];
    const router = new Router(stubHandlers({ 'accounts.list': async (_input, caller) => (callers.push(caller), []) }), { actor: 'app' });
    registerContractIpc({ ipcMain, router, isTrustedSender: senderCheck(() => w.win, (url) => isDashboardUrl(url)) });
    await handlers.get(callChannel('accounts.list'))!(w.event(), {});
    await router.handle('accounts.list', {});
    expect(callers).toEqual([{ actor: 'dashboard' }, { actor: 'app' }]);
  });

  it('maps handler errors to plain {code, message}', async () => {
    const { invoke, w } = setup();
    expect(await invoke('accounts.get', w.event(), { account: 'nope' })).toEqual({ ok: false, error: { code: 'not_found', message: 'No account named nope' } });
  });

  it('refuses every sender but the main frame of our window showing our page', async () => {
    const { invoke, w, refused } = setup();
    const main = w.mainFrame;
    const other = fakeWindow();
    const cases: Record<string, unknown> = {
      subframe: w.event({ ...main, routingId: 999, parent: main }),
      'frame claiming to be main but with a parent': w.event({ ...main, parent: {} }),
      'frame of another process': w.event({ ...main, processId: 99 }),
      'no frame (navigated or destroyed)': w.event(null),
      'another window': other.event(),
      'no sender': { senderFrame: main },
    };
    for (const [what, event] of Object.entries(cases)) {
      expect(await invoke('accounts.list', event), what).toEqual({ ok: false, error: { code: 'forbidden', message: FOREIGN_SENDER_MESSAGE } });
    }
    for (const url of ['https://evil.example/', 'file:///tmp/index.html', 'tokendesk://app/unlock.html', 'tokendesk://evil/index.html', 'about:blank']) {
      main.url = url;
      expect(await invoke('accounts.list', w.event()), url).toMatchObject({ ok: false });
    }
    main.url = 'tokendesk://app/index.html#/accounts/a1';
    expect(await invoke('accounts.list', w.event())).toMatchObject({ ok: true });
    w.win.destroyed = true;
    expect(await invoke('accounts.list', w.event())).toMatchObject({ ok: false });
    expect(refused).toHaveBeenCalledWith('accounts.list', 'https://evil.example/');
  });

  it('runs after-hooks: the copied text goes to main, the reply carries none', async () => {
    const toClipboard = vi.fn();
    const { invoke, w } = setup({
      'accounts.copy': async (result) => {
        toClipboard(result.text);
        return { copied: true, clearAfterSeconds: 30 };
      },
    });
    const reply = await invoke('accounts.copy', w.event(), { account: 'prod', format: 'token' });
    expect(reply).toEqual({ ok: true, result: { copied: true, clearAfterSeconds: 30 } });
    expect(JSON.stringify(reply)).not.toContain('SECRET-TOKEN');
    expect(toClipboard).toHaveBeenCalledWith('SECRET-TOKEN');
  });

  it('validates what an after-hook returns, and maps its errors', async () => {
    const bad = setup({ 'accounts.copy': async () => ({ copied: 'yes' }) as never });
    expect(await bad.invoke('accounts.copy', bad.w.event(), { account: 'prod', format: 'token' })).toMatchObject({ ok: false, error: { code: 'internal' } });
    const throwing = setup({
      'accounts.copy': async () => {
        throw new ContractError('storage_error', 'clipboard broke');
      },
    });
    expect(await throwing.invoke('accounts.copy', throwing.w.event(), { account: 'prod', format: 'token' })).toEqual({ ok: false, error: { code: 'storage_error', message: 'clipboard broke' } });
  });
});

describe('event forwarding', () => {
  it('sends every contract event to our window only, payload only, and stops on dispose', () => {
    const source = new EventEmitter();
    const w = fakeWindow();
    let target: WindowLike | undefined = w.win;
    const stop = forwardEvents(source as never, () => target, (url) => isDashboardUrl(url));
    for (const name of Object.keys(events)) source.emit(name, { name });
    expect(w.sent).toEqual(Object.keys(events).map((name) => [eventChannel(name as never), { name }]));

    w.mainFrame.url = 'https://evil.example/';
    source.emit('account-removed', { id: 'x' });
    expect(w.sent).toHaveLength(Object.keys(events).length);
    w.mainFrame.url = 'tokendesk://app/index.html';

    target = undefined;
    source.emit('account-removed', { id: 'x' });
    target = w.win;
    w.win.destroyed = true;
    source.emit('account-removed', { id: 'x' });
    expect(w.sent).toHaveLength(Object.keys(events).length);

    stop();
    expect(source.eventNames()).toEqual([]);
  });
});
