// The dashboard's header: the name, the demo badge, a summary of the accounts, and the
// page-wide controls (pause all, add, settings, shortcuts). In a narrow window the controls
// wrap onto a second line (styles.css "header"), never off screen.
import { useMemo } from 'react';
import { Badge, Button, Flex, Heading, IconButton, Switch, Text, Tooltip } from '@radix-ui/themes';
import { GearIcon, PlusIcon, QuestionMarkCircledIcon } from '@radix-ui/react-icons';
import type { AccountView } from '../../../shared/contract.js';
import { setAllPaused } from '../state/actions.js';
import type { Snapshot } from '../state/store.js';
import { summarize } from '../lib/accounts.js';

interface Props {
  phase: Snapshot['phase'];
  demo: boolean;
  accounts: readonly AccountView[];
  pausedAll: boolean;
  onAdd: () => void;
  onSettings: () => void;
  onHelp: () => void;
}

export function AppHeader({ phase, demo, accounts, pausedAll, onAdd, onSettings, onHelp }: Props) {
  const summary = useMemo(() => summarize(accounts), [accounts]);
  return (
    <header className="app-header">
      <Flex align="center" gap="3" minWidth="0" wrap="wrap" className="header-brand">
        <span className="logo" aria-hidden="true">
          TD
        </span>
        <Heading as="h1" size="4" weight="bold">
          TokenDesk
        </Heading>
        {demo && (
          <Badge color="amber" variant="solid" size="2" data-testid="demo-badge">
            DEMO
          </Badge>
        )}
        {phase === 'ready' && (
          <Flex gap="2" align="center" className="summary" aria-label="Summary" role="status">
            <Badge color="gray" variant="soft">
              {summary.total} account{summary.total === 1 ? '' : 's'}
            </Badge>
            {summary.attention > 0 && (
              <Badge color="red" variant="soft">
                {summary.attention} need{summary.attention === 1 ? 's' : ''} attention
              </Badge>
            )}
            {summary.refreshing > 0 && (
              <Badge color="blue" variant="soft">
                {summary.refreshing} refreshing
              </Badge>
            )}
          </Flex>
        )}
      </Flex>
      <Flex align="center" gap="3" className="header-controls">
        <Text as="label" size="2" className="pause-all">
          <Flex gap="2" align="center">
            <Switch size="1" checked={!pausedAll} onCheckedChange={(on) => void setAllPaused(!on)} disabled={phase !== 'ready'} />
            {pausedAll ? 'Auto-refresh paused' : 'Auto-refresh on'}
          </Flex>
        </Text>
        <Button onClick={onAdd} disabled={phase !== 'ready'}>
          <PlusIcon />
          <span>
            Add<span className="wide-only"> account</span>
          </span>
        </Button>
        <Tooltip content="Settings">
          <IconButton variant="soft" color="gray" onClick={onSettings} aria-label="Settings" disabled={phase !== 'ready'}>
            <GearIcon />
          </IconButton>
        </Tooltip>
        <Tooltip content="Help: shortcuts and statuses (?)">
          <IconButton variant="ghost" color="gray" onClick={onHelp} aria-label="Help">
            <QuestionMarkCircledIcon />
          </IconButton>
        </Tooltip>
      </Flex>
    </header>
  );
}
