// `tokendesk team …`: the team vault on PostgreSQL (README "Team vault"): create, join, invite,
// status, share, leave. The database URL (with its password) goes to the local vault, never to
// accounts.json; `--db -` reads it from stdin so it stays out of shell history.
import { type Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { TeamStatus } from '../../shared/contract.js';
import { ContractError } from '../../main/core/contract.js';
import { promptHidden } from '../../main/core/vault/prompt.js';
import { printable, relative, table } from '../format.js';
import { json, out, run } from './common.js';

interface DbOptions {
  db: string;
  member?: string;
}

export function registerTeam(program: Command): void {
  const team = program.command('team').description('share accounts with a team through PostgreSQL: one refresher per rotation across machines');
  team
    .command('create')
    .description('create a team in an empty PostgreSQL database; this data dir becomes its first member')
    .requiredOption('--db <url>', 'postgresql://user:password@host:port/db (sslmode=… honoured); - reads it from stdin')
    .option('--member <name>', 'this member’s name (default user@host)')
    .action(
      run(async (api, opts: DbOptions) => {
        const passphrase = process.env['TOKENDESK_TEAM_PASSPHRASE'] || undefined;
        const status = await api.call('team.create', { database: databaseUrl(opts.db), member: opts.member, passphrase });
        out(`team ${status.teamId} created on ${status.database}; you are ${printable(status.member ?? '')}\n`);
        out(passphrase ? 'members can join with the team passphrase or with `tokendesk team invite`\n' : 'invite members with `tokendesk team invite`\n');
      }),
    );
  team
    .command('join')
    .description('join a team with a one-time invite code, or with the team passphrase ($TOKENDESK_TEAM_PASSPHRASE or a prompt)')
    .requiredOption('--db <url>', 'the team database URL; - reads it from stdin')
    .option('--invite <code>', 'the code `tokendesk team invite` printed on a member’s machine')
    .option('--member <name>', 'this member’s name (default user@host)')
    .action(
      run(async (api, opts: DbOptions & { invite?: string }) => {
        const database = databaseUrl(opts.db);
        const passphrase = opts.invite ? undefined : await teamPassphrase();
        const status = await api.call('team.join', { database, invite: opts.invite, passphrase, member: opts.member });
        out(`joined team ${status.teamId} as ${printable(status.member ?? '')}: ${status.accounts} team account(s)\n`);
      }),
    );
  team
    .command('invite')
    .description('print a one-time code (valid 24 h) that lets one new member join')
    .option('--json', 'print JSON')
    .action(
      run(async (api, opts: { json?: boolean }) => {
        const invite = await api.call('team.invite');
        if (opts.json) json(invite);
        else out(`${invite.code}\n(one use, until ${new Date(invite.expiresAt).toISOString()}: tokendesk team join --db URL --invite CODE)\n`);
      }),
    );
  team
    .command('status')
    .description('the team: connection, members and when they were last seen, who holds which refresh lock')
    .option('--json', 'print JSON (contract: TeamStatus)')
    .action(
      run(async (api, opts: { json?: boolean }) => {
        const status = await api.call('team.status');
        if (opts.json) json(status);
        else out(statusText(status));
      }),
    );
  team
    .command('share')
    .description('move a local account into the team vault')
    .argument('<name>', 'account name or id')
    .option('--non-rotating', 'the vendor does not rotate refresh tokens: members may refresh it while the team store is offline')
    .action(
      run(async (api, name: string, opts: { nonRotating?: boolean }) => {
        const account = await api.call('team.share', { account: name, nonRotating: opts.nonRotating });
        out(`${printable(account.name)} is now a team account\n`);
      }),
    );
  team
    .command('remove-member')
    .argument('<member>', 'its name, or NAME@HOST where two members share a name')
    .description('remove another member: refused at its next connection; revoke its database access too, it keeps the key it had')
    .action(
      run(async (api, member: string) => {
        await api.call('team.removeMember', { member });
        out(`${printable(member)} is no longer a member; revoke its database access too\n`);
      }),
    );
  team
    .command('leave')
    .description('leave the team: its accounts leave this data dir, local accounts stay')
    .action(
      run(async (api) => {
        await api.call('team.leave');
        out('left the team\n');
      }),
    );
}

function databaseUrl(value: string): string {
  const url = value === '-' ? readFileSync(0, 'utf8').split(/\r?\n/)[0]?.trim() ?? '' : value;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ContractError('invalid_input', '--db: expected a postgresql://… URL');
  return url;
}

async function teamPassphrase(): Promise<string> {
  const fromEnv = process.env['TOKENDESK_TEAM_PASSPHRASE'];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new ContractError('invalid_input', 'Give --invite CODE, or set TOKENDESK_TEAM_PASSPHRASE, or run on a terminal to be asked');
  return promptHidden('Team passphrase: ');
}

export function statusText(status: TeamStatus, now = Date.now()): string {
  if (!status.joined) return 'not in a team (tokendesk team create --db URL, or tokendesk team join --db URL --invite CODE)\n';
  const connection = status.connection;
  const state = connection?.state === 'online' ? 'online' : `team store ${connection?.state ?? 'offline'}${connection?.message ? ` (${printable(connection.message)})` : ''}`;
  const lines = [
    `team ${status.teamId} on ${status.database}: ${state} since ${relative(connection?.since, now)}`,
    `you are ${printable(status.member ?? '')}; ${status.accounts} team account(s)`,
    '',
  ];
  let text = lines.join('\n');
  if (status.members.length) {
    text += table(
      ['MEMBER', 'HOST', 'ONLINE', 'LAST SEEN'],
      status.members.map((m) => [printable(m.you ? `${m.name} (you)` : m.name), printable(m.hostname), m.left ? 'left' : m.online ? 'yes' : 'no', relative(m.lastSeen, now)]),
    );
  }
  text += status.locks.length ? `\n${table(['LOCKED ACCOUNT', 'HELD BY'], status.locks.map((l) => [printable(l.account), printable(l.member)]))}` : '\nno refresh locks held\n';
  return text;
}
