// The keyboard shortcuts help ("?" or the header's button). The keys themselves are
// handled by useGlobalShortcuts.ts and by the list and timeline.
import { Button, Dialog, Flex, Kbd, Text } from '@radix-ui/themes';

const SHORTCUTS: [string, string][] = [
  ['/', 'Search accounts'],
  ['N', 'Add an account'],
  ['1 2 3', 'Accounts, Timeline, History'],
  ['↑ ↓ Home End', 'Move in the list or timeline'],
  ['Enter', 'Open the account'],
  ['R', 'Refresh the active account now'],
  ['+ −', 'Zoom the timeline'],
  ['Esc', 'Close the details or a dialog'],
  ['?', 'This help'],
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog.Root open={open} onOpenChange={(o) => !o && onClose()}>
      <Dialog.Content maxWidth="440px">
        <Dialog.Title>Keyboard shortcuts</Dialog.Title>
        <Dialog.Description size="2" color="gray" mb="3">
          Every action is also reachable with Tab and Enter.
        </Dialog.Description>
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
        <Flex justify="end" mt="3">
          <Dialog.Close>
            <Button variant="soft">Close</Button>
          </Dialog.Close>
        </Flex>
      </Dialog.Content>
    </Dialog.Root>
  );
}
