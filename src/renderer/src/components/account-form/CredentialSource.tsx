// Where a new account's tokens come from, for providers TokenDesk can sign in to: a sign-in
// right after saving (the default), or a refresh token pasted from elsewhere.
import { Flex, RadioGroup, Text } from '@radix-ui/themes';

export type CredentialSourceChoice = 'signin' | 'paste';

export function CredentialSource({ providerName, value, onChange }: { providerName: string; value: CredentialSourceChoice; onChange: (v: CredentialSourceChoice) => void }) {
  return (
    <RadioGroup.Root value={value} onValueChange={(v) => onChange(v as CredentialSourceChoice)} aria-label="How to get the tokens" size="2" mb="3" data-testid="credential-source">
      <Flex direction="column" gap="2">
        <Text as="label" size="2">
          <Flex gap="2" align="start">
            <RadioGroup.Item value="signin" />
            <span>
              <Text weight="medium">Sign in with {providerName}</Text>
              <Text as="div" size="1" color="gray">
                After saving, TokenDesk opens {providerName}’s sign-in page in your browser and keeps the tokens it gets.
              </Text>
            </span>
          </Flex>
        </Text>
        <Text as="label" size="2">
          <Flex gap="2" align="start">
            <RadioGroup.Item value="paste" />
            <span>
              <Text weight="medium">Paste a refresh token</Text>
              <Text as="div" size="1" color="gray">
                One you got elsewhere, e.g. from a sign-in in another tool.
              </Text>
            </span>
          </Flex>
        </Text>
      </Flex>
    </RadioGroup.Root>
  );
}
