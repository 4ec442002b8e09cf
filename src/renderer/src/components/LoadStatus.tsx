// What the page shows until the owner has answered: a spinner while connecting, and the
// error with a way to try again when it does not answer. Nothing once loaded.
import { Button, Flex, Heading, Spinner, Text } from '@radix-ui/themes';
import { store, type Snapshot } from '../state/store.js';

export function LoadStatus({ phase, loadError }: { phase: Snapshot['phase']; loadError?: string }) {
  if (phase === 'loading') {
    return (
      <Flex className="center-state" align="center" justify="center" gap="2" role="status">
        <Spinner /> Connecting to TokenDesk…
      </Flex>
    );
  }
  if (phase === 'error') {
    return (
      <Flex className="center-state" direction="column" align="center" justify="center" gap="3" role="alert">
        <Heading as="h2" size="4">
          TokenDesk is not answering
        </Heading>
        <Text color="gray" size="2" align="center">
          {loadError}
        </Text>
        <Button onClick={() => void store.load()}>Try again</Button>
      </Flex>
    );
  }
  return null;
}
