// What "Test now" found, announced as it arrives: the refresh's result, marked stale once
// the form changed, and a warning when the test rotated the refresh token and the form
// changed since (saving would store a refresh token the test may have spent).
import { Callout } from '@radix-ui/themes';
import { CheckCircledIcon, CrossCircledIcon, ExclamationTriangleIcon } from '@radix-ui/react-icons';
import type { CallOutput } from '../../../../shared/contract.js';
import { errorClassWords } from '../../lib/status.js';
import { compactDuration } from '../../lib/time.js';
import type { FormTest } from './useAccountForm.js';

export function TestOutcome({ test, fingerprint }: { test: FormTest | undefined; fingerprint: string }) {
  const staleRotatedDraft = test?.result.ok && test.result.rotated && test.fingerprint !== fingerprint;
  return (
    <>
      <div aria-live="polite" data-testid="test-result">
        {test && <TestResult result={test.result} stale={test.fingerprint !== fingerprint} />}
      </div>
      {staleRotatedDraft && (
        <Callout.Root color="amber" size="1" mt="2">
          <Callout.Icon>
            <ExclamationTriangleIcon />
          </Callout.Icon>
          <Callout.Text>The test rotated the refresh token it used, and the credentials changed since: test again before saving, or the saved refresh token may already be spent.</Callout.Text>
        </Callout.Root>
      )}
    </>
  );
}

function TestResult({ result, stale }: { result: CallOutput<'accounts.test'>; stale: boolean }) {
  if (result.ok) {
    const expiry = result.expiresAt !== undefined ? ` The new access token expires in ${compactDuration(result.expiresAt - Date.now())}.` : ' The provider gave no expiry.';
    return (
      <Callout.Root color="green" size="1" mt="2" data-testid="test-ok">
        <Callout.Icon>
          <CheckCircledIcon />
        </Callout.Icon>
        <Callout.Text>
          {result.message}
          {expiry} Took {Math.round(result.durationMs)} ms.{stale ? ' (The form changed since this test.)' : ' Saving keeps the tokens this test obtained.'}
        </Callout.Text>
      </Callout.Root>
    );
  }
  return (
    <Callout.Root color="red" size="1" mt="2" data-testid="test-failed">
      <Callout.Icon>
        <CrossCircledIcon />
      </Callout.Icon>
      <Callout.Text>
        The test failed{result.httpStatus ? ` (HTTP ${result.httpStatus})` : ''}: {errorClassWords(result.errorClass, result.httpStatus)}. {result.message}
      </Callout.Text>
    </Callout.Root>
  );
}
