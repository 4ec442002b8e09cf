// What the last copy did, said beside the buttons that did it (a toast would cover them),
// and announced politely. Forgotten when another account is shown.
import { useEffect, useState } from 'react';
import { Text } from '@radix-ui/themes';
import type { CopyResult } from '../../state/actions.js';

export function useCopyStatus(accountId: string) {
  const [status, setStatus] = useState<CopyResult | undefined>();
  useEffect(() => setStatus(undefined), [accountId]);
  return [status, setStatus] as const;
}

export function CopyStatus({ status, testId }: { status: CopyResult | undefined; testId: string }) {
  return (
    <div aria-live="polite" data-testid={testId}>
      {status && (
        <Text as="p" size="1" color={status.ok ? 'green' : 'red'} mt="1" className="copy-status">
          {status.text}
        </Text>
      )}
    </div>
  );
}
