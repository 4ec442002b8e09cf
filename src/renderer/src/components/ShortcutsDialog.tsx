// Help ("?" or the header's button): keyboard shortcuts, what every status means (what
// TokenDesk does, what you do; from lib/help.ts, labelled like the list) and where to read more.
// The keys themselves are handled by useGlobalShortcuts.ts and by the list and timeline.
import { Button, Dialog, Flex, Heading, Kbd, Link, Tabs, Text } from '@radix-ui/themes';
import { BUNDLED_DOCS, DOC_LINKS, failureGlossary, statusGlossary, type GlossaryEntry } from '../lib/help.js';
import './ShortcutsDialog.css';

const SHORTCUTS: [string, string][] = [
  ['/', 'Search accounts'],
  ['N', 'Add an account'],
  ['1 2 3', 'Accounts, Timeline, History'],
  ['↑ ↓ Home End', 'Move in the list or timeline'],
  ['Enter', 'Open the account'],
  ['R', 'Refresh the active account now (one that needs a new sign-in opens instead)'],
  ['+ −', 'Zoom the timeline'],
  ['Esc', 'Close the details or a dialog'],
  ['?', 'This help'],
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog.Root open={open} onOpenChange={(o) => !o && onClose()}>
      <Dialog.Content maxWidth="640px" data-testid="help-dialog">
        <Dialog.Title>Help</Dialog.Title>
        <Dialog.Description size="2" color="gray" mb="2">
          Keyboard shortcuts, what each status means, and where to read more.
        </Dialog.Description>
        <Tabs.Root defaultValue="statuses">
          <Tabs.List>
            <Tabs.Trigger value="statuses">Statuses</Tabs.Trigger>
            <Tabs.Trigger value="shortcuts">Shortcuts</Tabs.Trigger>
            <Tabs.Trigger value="docs">Documentation</Tabs.Trigger>
          </Tabs.List>
          <Tabs.Content value="statuses" className="help-panel">
            <Glossary caption="Account statuses" entries={statusGlossary()} testId="status-glossary" />
            <Glossary caption="Why a refresh failed (History)" entries={failureGlossary()} testId="failure-glossary" />
          </Tabs.Content>
          <Tabs.Content value="shortcuts" className="help-panel">
            <Text as="p" size="2" color="gray" mb="2">
              Every action is also reachable with Tab and Enter.
            </Text>
            <table className="shortcuts">
              <tbody>
                {SHORTCUTS.map(([keys, what]) => (
                  <tr key={keys}>
                    <td>
                      <Kbd>{keys}</Kbd>
                    </td>
                    <td>
                      <Text size="2">{what}</Text>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Tabs.Content>
          <Tabs.Content value="docs" className="help-panel">
            <DocsPanel />
          </Tabs.Content>
        </Tabs.Root>
        <Flex justify="end" mt="3">
          <Dialog.Close>
            <Button variant="soft">Close</Button>
          </Dialog.Close>
        </Flex>
      </Dialog.Content>
    </Dialog.Root>
  );
}

function Glossary({ caption, entries, testId }: { caption: string; entries: GlossaryEntry[]; testId: string }) {
  return (
    <table className="help-glossary" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Shown as</th>
          <th scope="col">What TokenDesk does</th>
          <th scope="col">What you do</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.label}>
            <th scope="row">{e.label}</th>
            <td>{e.tokenDesk}</td>
            <td>{e.you}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DocsPanel() {
  return (
    <>
      <Heading as="h3" size="2" mb="1">
        Comes with TokenDesk
      </Heading>
      <ul className="help-list" data-testid="bundled-docs">
        {BUNDLED_DOCS.map((d) => (
          <li key={d.file}>
            <Text size="2">
              <code>{d.file}</code>
              {d.sections.length ? `, ${d.sections.map((s) => `“${s.replace(/`/g, '')}”`).join(', ')}` : ''}: {d.about}
            </Text>
          </li>
        ))}
        <li>
          <Text size="2">
            <code>tokendesk --help</code> and <code>tokendesk COMMAND --help</code> for the CLI
          </Text>
        </li>
      </ul>
      <Heading as="h3" size="2" mt="3" mb="1">
        On the web (opens in your browser)
      </Heading>
      <ul className="help-list" data-testid="doc-links">
        {DOC_LINKS.map((d) => (
          <li key={d.url}>
            <Link href={d.url} target="_blank" rel="noopener noreferrer" size="2">
              {d.label}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
