// What this owner is and offers: its status, the providers it knows, and a demo beside it
// when the host can show one.
import { TOKENDESK_VERSION } from '../../../shared/version.js';
import { ContractError, type Handlers } from '../contract.js';
import type { Shared } from './context.js';

export function sessionHandlers(s: Shared): Pick<Handlers, 'owner.status' | 'providers.list' | 'demo.start'> {
  const { ctx, engine } = s;
  return {
    'owner.status': async () => {
      const storageReports = ctx.storageReports?.() ?? [];
      return {
        pid: process.pid,
        version: TOKENDESK_VERSION,
        dataDir: ctx.dataDir,
        startedAt: ctx.startedAt,
        pausedAll: engine.pausedAll,
        accounts: engine.size,
        nextRefreshAt: engine.nextDeadline(),
        demo: ctx.demo ?? false,
        ...(storageReports.length ? { storageReports: storageReports.map((r) => ({ ...r })) } : {}),
      };
    },

    'providers.list': async () => s.providers.infos(),

    'demo.start': async () => {
      if (ctx.demo) throw new ContractError('conflict', 'This is the demo already');
      if (!ctx.startDemo) {
        throw new ContractError('invalid_input', 'This TokenDesk cannot show a demo beside it; run `tokendesk serve --demo` in a terminal instead');
      }
      return ctx.startDemo();
    },
  };
}
