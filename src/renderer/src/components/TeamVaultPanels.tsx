// The team vault's parts of the details pane ("refreshed by MEMBER at TIME") and of Settings
// (connection, members, refresh locks; create, join, invite, leave), loaded on demand with them
// (docs/ARCHITECTURE.md "Team vault"); the first screen's badge and banner are in TeamVault.tsx.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AlertDialog, Badge, Box, Button, Callout, Checkbox, Code, DataList, Dialog, Flex, SegmentedControl, Table, Text, TextField } from '@radix-ui/themes';
import { PersonIcon } from '@radix-ui/react-icons';
import type { AccountView, TeamStatus } from '../../../shared/contract.js';
import { plural } from '../../../shared/plural.js';
import { fullTime } from '../lib/time.js';
import { call, errorText } from '../state/api.js';
import { copyText } from '../state/actions.js';
import { store, useStore } from '../state/store.js';
import { toast } from '../state/toasts.js';
import { SectionHeading, When } from './common.js';
import { ConfirmFooter, DialogCancel } from './dialog-parts.js';
import { useTeamStatus } from './TeamVault.js';
import './TeamVault.css';

/** Rows for the account's facts: who refreshed it, and whether its vendor rotates; for a local account in a team, sharing it. */
export function TeamFacts({ account }: { account: AccountView }) {
  if (!account.team) return <ShareFact account={account} />;
  return (
    <>
      <DataList.Item>
        <DataList.Label>Team account</DataList.Label>
        <DataList.Value data-testid="team-refreshed-by">
          {account.team.refreshedBy ? (
            <span>
              refreshed by <strong>{account.team.refreshedBy}</strong>
              {account.team.refreshedAt !== undefined && (
                <>
                  {' '}
                  at <When at={account.team.refreshedAt} />
                </>
              )}
            </span>
          ) : (
            'shared through the team vault'
          )}
        </DataList.Value>
      </DataList.Item>
      {!account.team.rotating && (
        <DataList.Item>
          <DataList.Label>Rotation</DataList.Label>
          <DataList.Value>non-rotating: refreshed even while the team store is offline</DataList.Value>
        </DataList.Item>
      )}
    </>
  );
}

/** A local account of a member: "only on this computer", and the way into the team vault. */
function ShareFact({ account }: { account: AccountView }) {
  const { status } = useTeamStatus();
  const rotation = useStore((s) => s.providers.find((p) => p.id === account.providerId)?.rotation);
  if (!status?.joined) return null;
  return (
    <DataList.Item>
      <DataList.Label>Team</DataList.Label>
      <DataList.Value>
        <Flex gap="2" align="center" wrap="wrap">
          <span>only on this computer</span>
          <ShareButton account={account} nonRotatingVendor={rotation === 'never'} />
        </Flex>
      </DataList.Value>
    </DataList.Item>
  );
}

function ShareButton({ account, nonRotatingVendor }: { account: AccountView; nonRotatingVendor: boolean }) {
  const [nonRotating, setNonRotating] = useState(nonRotatingVendor);
  const [open, setOpen] = useState(false);
  const share = async () => {
    try {
      store.applyAccount(await call('team.share', { account: account.id, ...(nonRotating ? { nonRotating: true } : {}) }));
      toast({ tone: 'success', title: `${account.name} is shared with the team`, description: 'Every member gets its tokens; one member refreshes each rotation.' });
      return true;
    } catch (err) {
      toast({ tone: 'error', title: `Could not share ${account.name}`, description: errorText(err) });
      return false;
    }
  };
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger>
        <Button size="1" variant="soft">
          Share with the team…
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Content maxWidth="520px" data-testid="team-share-dialog">
        <AlertDialog.Title>Share {account.name} with the team?</AlertDialog.Title>
        <AlertDialog.Description size="2">
          It moves into the team vault, with its tokens: every member gets them, and exactly one member refreshes each rotation. It leaves this computer’s own vault, so leaving the team later
          takes it away from here too.
        </AlertDialog.Description>
        <Text as="label" size="2">
          <Flex gap="2" align="start" mt="3">
            <Checkbox checked={nonRotating} onCheckedChange={(v) => setNonRotating(v === true)} />
            <span>The vendor does not rotate its refresh token: refresh it even while the team database is offline.</span>
          </Flex>
        </Text>
        <ConfirmFooter label="Share with the team" color="accent" action={share} onDone={() => setOpen(false)} />
      </AlertDialog.Content>
    </AlertDialog.Root>
  );
}

const STATE_COLOR = { online: 'green', offline: 'red', connecting: 'amber' } as const;

export function TeamSection() {
  const { status, error, reload } = useTeamStatus();
  const [setup, setSetup] = useState<SetupMode>();
  return (
    <Box data-testid="team-status">
      <SectionHeading icon={<PersonIcon />}>Team vault</SectionHeading>
      {error && <Text color="red">{error}</Text>}
      {status && !status.joined && (
        <>
          <Text as="p" size="2">
            Not in a team. A team shares accounts through a PostgreSQL database: every member gets each new token, and exactly one member refreshes each rotation.
          </Text>
          <Flex gap="2" mt="2" wrap="wrap">
            <Button type="button" variant="soft" onClick={() => setSetup('create')}>
              Create a team…
            </Button>
            <Button type="button" variant="soft" onClick={() => setSetup('join')}>
              Join a team…
            </Button>
          </Flex>
          {setup && <TeamSetupDialog mode={setup} onClose={() => setSetup(undefined)} onJoined={reload} />}
        </>
      )}
      {status?.joined && (
        <>
          <DataList.Root size="2">
            <DataList.Item>
              <DataList.Label>Connection</DataList.Label>
              <DataList.Value>
                <Badge color={STATE_COLOR[status.connection?.state ?? 'offline']} data-testid="team-connection">
                  {status.connection?.state === 'online' ? 'online' : 'team store offline'}
                </Badge>
                {status.connection?.message && status.connection.state !== 'online' && (
                  <Text size="1" color="gray" ml="2">
                    {status.connection.message}
                  </Text>
                )}
              </DataList.Value>
            </DataList.Item>
            <DataList.Item>
              <DataList.Label>Database</DataList.Label>
              <DataList.Value>{status.database}</DataList.Value>
            </DataList.Item>
            <DataList.Item>
              <DataList.Label>You are</DataList.Label>
              <DataList.Value>
                {status.member} · {status.accounts} team account{status.accounts === 1 ? '' : 's'}
              </DataList.Value>
            </DataList.Item>
          </DataList.Root>
          {status.members.length > 0 && <MemberTable status={status} onRemoved={reload} />}
          <Text as="p" size="1" color="gray" mt="2" data-testid="team-locks">
            {status.locks.length ? `Refreshing now: ${status.locks.map((l) => `${l.account} (${l.member})`).join(', ')}` : 'No refresh locks held.'}
          </Text>
          <TeamActions status={status} onLeft={reload} />
        </>
      )}
    </Box>
  );
}

type Member = TeamStatus['members'][number];

function MemberTable({ status, onRemoved }: { status: TeamStatus; onRemoved: () => void }) {
  const current = status.members.filter((m) => !m.left);
  // Two current members of one name are named NAME@HOST to the service.
  const handle = (m: Member) => (current.filter((o) => o.name === m.name).length > 1 ? `${m.name}@${m.hostname}` : m.name);
  return (
    <Table.Root size="1" mt="2" className="team-members">
      <Table.Header>
        <Table.Row>
          <Table.ColumnHeaderCell>Member</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Host</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Status</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Last seen</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>
            <span className="sr-only">Actions</span>
          </Table.ColumnHeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {status.members.map((m) => (
          <Table.Row key={`${m.name}-${m.joinedAt}`}>
            <Table.Cell>{m.you ? `${m.name} (you)` : m.name}</Table.Cell>
            <Table.Cell>{m.hostname}</Table.Cell>
            <Table.Cell>{m.left ? 'left' : m.online ? 'online' : 'offline'}</Table.Cell>
            <Table.Cell>{fullTime(m.lastSeen)}</Table.Cell>
            <Table.Cell>{!m.left && !m.you && <RemoveMemberButton member={m} handle={handle(m)} onRemoved={onRemoved} />}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table.Root>
  );
}

/** Removing another member, after a confirmation that says what it does not undo. */
function RemoveMemberButton({ member, handle, onRemoved }: { member: Member; handle: string; onRemoved: () => void }) {
  const [open, setOpen] = useState(false);
  const remove = async () => {
    try {
      await call('team.removeMember', { member: handle });
      toast({ tone: 'success', title: `${handle} removed from the team`, description: 'Revoke its database access too: it keeps the team key it had.' });
      onRemoved();
      return true;
    } catch (err) {
      toast({ tone: 'error', title: `Could not remove ${handle}`, description: errorText(err) });
      return false;
    }
  };
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger>
        <Button type="button" size="1" variant="ghost" color="red" aria-label={`Remove ${handle} from the team`}>
          Remove…
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Content maxWidth="480px" data-testid="team-remove-member-dialog">
        <AlertDialog.Title>Remove {handle} from the team?</AlertDialog.Title>
        <AlertDialog.Description size="2">
          The TokenDesk of {member.name} on {member.hostname} is refused at its next connection and stops refreshing the team’s accounts. It keeps the team key and whatever it already read: revoke its database access too.
        </AlertDialog.Description>
        <ConfirmFooter label={`Remove ${handle}`} action={remove} onDone={() => setOpen(false)} />
      </AlertDialog.Content>
    </AlertDialog.Root>
  );
}

type SetupMode = 'create' | 'join';

/**
 * Creating or joining a team: the database, this machine's member name and the team's secret
 * (a passphrase that lets members join without an invite, optional when creating; an invite
 * code or that passphrase when joining). Its own form, in its own dialog over Settings.
 */
function TeamSetupDialog({ mode, onClose, onJoined }: { mode: SetupMode; onClose: () => void; onJoined: () => void }) {
  const [database, setDatabase] = useState('');
  const [member, setMember] = useState('');
  const [by, setBy] = useState<'invite' | 'passphrase'>('invite');
  const [invite, setInvite] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const creating = mode === 'create';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation(); // React bubbles a portal's submit to Settings' own form
    const missing = !database.trim()
      ? 'Enter the database URL, e.g. postgres://user:password@db.example.com:5432/tokendesk'
      : !creating && by === 'invite' && !invite.trim()
        ? 'Enter the invite code a member gave you'
        : !creating && by === 'passphrase' && !passphrase
          ? 'Enter the team passphrase'
          : undefined;
    if (missing) return setProblem(missing);
    setBusy(true);
    setProblem(undefined);
    try {
      const base = { database: database.trim(), ...(member.trim() ? { member: member.trim() } : {}) };
      const joined = creating
        ? await call('team.create', { ...base, ...(passphrase ? { passphrase } : {}) })
        : await call('team.join', { ...base, ...(by === 'invite' ? { invite: invite.trim() } : { passphrase }) });
      toast({ tone: 'success', title: creating ? 'Team created' : 'Joined the team', description: `You are ${joined.member} on ${joined.database}.` });
      onJoined();
      onClose();
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog.Root open onOpenChange={(o) => !o && onClose()}>
      <Dialog.Content maxWidth="520px" data-testid="team-setup-dialog">
        <Dialog.Title>{creating ? 'Create a team' : 'Join a team'}</Dialog.Title>
        <Dialog.Description size="2" color="gray" mb="3">
          {creating
            ? 'TokenDesk sets up its tables in an empty PostgreSQL database; this computer becomes the first member. Invite the others from here afterwards.'
            : 'The database the team uses, and the invite code a member gave you (or the team passphrase). The team’s accounts appear here once you have joined.'}
        </Dialog.Description>
        <form onSubmit={submit} noValidate>
          <Flex direction="column" gap="3">
            <SetupField id="team-database" label="Database URL" value={database} onChange={setDatabase} placeholder="postgres://user:password@host:5432/database" autoFocus />
            <SetupField id="team-member" label="Your name on the team (optional)" value={member} onChange={setMember} help="Shown beside what you refresh; this computer’s name when empty." />
            {!creating && (
              <SegmentedControl.Root value={by} onValueChange={(v) => setBy(v as 'invite' | 'passphrase')} aria-label="Join with">
                <SegmentedControl.Item value="invite">Invite code</SegmentedControl.Item>
                <SegmentedControl.Item value="passphrase">Team passphrase</SegmentedControl.Item>
              </SegmentedControl.Root>
            )}
            {!creating && by === 'invite' ? (
              <SetupField id="team-invite" label="Invite code" value={invite} onChange={setInvite} help="One-time, valid 24 hours: a member makes one in Settings or with tokendesk team invite." />
            ) : (
              <SetupField
                id="team-passphrase"
                label={creating ? 'Team passphrase (optional)' : 'Team passphrase'}
                value={passphrase}
                onChange={setPassphrase}
                secret
                help={creating ? 'At least 8 characters. Lets members join without an invite; without it, only invite codes do.' : undefined}
              />
            )}
          </Flex>
          <Text as="div" size="2" color="red" mt="3" role={problem ? 'alert' : undefined} data-testid="team-setup-error">
            {problem ?? ''}
          </Text>
          <Flex gap="3" justify="end" mt="3">
            <DialogCancel />
            <Button type="submit" loading={busy}>
              {creating ? 'Create the team' : 'Join the team'}
            </Button>
          </Flex>
        </form>
      </Dialog.Content>
    </Dialog.Root>
  );
}

function SetupField({
  id,
  label,
  value,
  onChange,
  help,
  placeholder,
  secret,
  autoFocus,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  help?: string;
  placeholder?: string;
  secret?: boolean;
  autoFocus?: boolean;
}) {
  return (
    <Box>
      <Text as="label" size="2" htmlFor={id}>
        {label}
      </Text>
      <TextField.Root
        id={id}
        mt="1"
        value={value}
        type={secret ? 'password' : 'text'}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={help ? `${id}-help` : undefined}
      />
      {help && (
        <Text as="div" size="1" color="gray" mt="1" id={`${id}-help`}>
          {help}
        </Text>
      )}
    </Box>
  );
}

/** A member's actions: make a one-time invite code (shown, to be passed on), and leave the team. */
function TeamActions({ status, onLeft }: { status: TeamStatus; onLeft: () => void }) {
  const [invite, setInvite] = useState<{ code: string; expiresAt: number }>();
  const [inviting, setInviting] = useState(false);
  const [leaveOpen, setLeaveOpen] = useState(false);
  const inviteShown = useRef<HTMLDivElement>(null);
  // The code appears below the buttons, at the foot of a long dialog: bring it into view.
  useEffect(() => inviteShown.current?.scrollIntoView({ block: 'center' }), [invite]);
  const makeInvite = async () => {
    setInviting(true);
    try {
      setInvite(await call('team.invite', {}));
    } catch (err) {
      toast({ tone: 'error', title: 'Could not make an invite', description: errorText(err) });
    } finally {
      setInviting(false);
    }
  };
  const leave = async () => {
    try {
      await call('team.leave', {});
      toast({ tone: 'success', title: 'Left the team', description: 'Its accounts are gone from this computer; your own accounts stay.' });
      onLeft();
      return true;
    } catch (err) {
      toast({ tone: 'error', title: 'Could not leave the team', description: errorText(err) });
      return false;
    }
  };
  return (
    <Box mt="3">
      <Flex gap="2" wrap="wrap">
        <Button type="button" variant="soft" loading={inviting} onClick={() => void makeInvite()}>
          Invite a member
        </Button>
        <AlertDialog.Root open={leaveOpen} onOpenChange={setLeaveOpen}>
          <AlertDialog.Trigger>
            <Button type="button" variant="soft" color="red">
              Leave the team…
            </Button>
          </AlertDialog.Trigger>
          <AlertDialog.Content maxWidth="480px" data-testid="team-leave-dialog">
            <AlertDialog.Title>Leave the team?</AlertDialog.Title>
            <AlertDialog.Description size="2">
              {leaveWords(status.accounts)} Your own accounts stay. Joining again takes a new invite code or the team passphrase.
            </AlertDialog.Description>
            <ConfirmFooter label="Leave the team" action={leave} onDone={() => setLeaveOpen(false)} />
          </AlertDialog.Content>
        </AlertDialog.Root>
      </Flex>
      {invite && (
        <Callout.Root size="1" mt="3" data-testid="team-invite" role="status" ref={inviteShown}>
          <Callout.Text>
            Give this one-time code to the new member, with the database URL; it works once, until {fullTime(invite.expiresAt)}. Anyone who has it can join the team.
          </Callout.Text>
          <Flex gap="2" align="center" wrap="wrap">
            <Code size="2" className="team-invite-code" data-testid="team-invite-code">
              {invite.code}
            </Code>
            <Button type="button" size="1" variant="soft" onClick={() => void copyText(invite.code, 'the invite code')}>
              Copy
            </Button>
          </Flex>
        </Callout.Root>
      )}
    </Box>
  );
}

/** What leaving does to the team's accounts, in a sentence that agrees with their number. */
export function leaveWords(accounts: number): string {
  if (accounts === 0) return 'The team has no accounts yet.';
  const them = accounts === 1 ? 'it' : 'them';
  return `Its ${plural(accounts, 'account')} ${accounts === 1 ? 'disappears' : 'disappear'} from this computer, which stops refreshing ${them}; the other members keep ${them}.`;
}
