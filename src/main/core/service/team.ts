// The team vault's calls (docs/ARCHITECTURE.md "Team vault"): status, create, join, invite, share, leave, remove a member.
import type { Handlers } from '../contract.js';
import { ContractError } from '../contract.js';
import type { TeamControl } from '../team/team-control.js';
import type { Shared } from './context.js';

type TeamCalls = 'team.status' | 'team.create' | 'team.join' | 'team.invite' | 'team.share' | 'team.leave' | 'team.removeMember';

export function teamOf(s: Shared): TeamControl {
  if (!s.ctx.team) throw new ContractError('invalid_input', 'This TokenDesk has no team vault');
  return s.ctx.team;
}

export function teamHandlers(s: Shared): Pick<Handlers, TeamCalls> {
  return {
    'team.status': async () => (s.ctx.team ? s.ctx.team.status() : { joined: false, accounts: 0, members: [], locks: [] }),
    'team.create': async (input) => teamOf(s).create(input),
    'team.join': async (input) => teamOf(s).join(input),
    'team.invite': async () => teamOf(s).invite(),
    'team.share': async ({ account, nonRotating }) => {
      const view = s.resolve(account);
      await teamOf(s).share(view.id, nonRotating);
      return s.engine.get(view.id);
    },
    'team.leave': async () => {
      await teamOf(s).leave();
      return { left: true as const };
    },
    'team.removeMember': async ({ member }) => teamOf(s).removeMember(member),
  };
}
