// A password sign-in's form (PathStack, Vault.ist): the user name and password go to the
// one sign-in request and are kept nowhere. The request follows the vendor's public
// description, which TokenDesk could not confirm: the form says so, and where to turn if it fails.
import { useState, type FormEvent } from 'react';
import { Badge, Button, Callout, Flex, Text, TextField } from '@radix-ui/themes';
import { InfoCircledIcon } from '@radix-ui/react-icons';
import type { ProviderInfo } from '../../../../shared/contract.js';
import { cancelSignIn, submitPasswordSignIn } from '../../state/signin.js';

export function PasswordForm({ provider }: { provider?: ProviderInfo }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const userLabel = provider?.passwordSignIn?.userLabel ?? 'User name';
  const name = provider?.name ?? 'the provider';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (username.trim() && password) submitPasswordSignIn(username.trim(), password);
  };
  return (
    <form onSubmit={submit} data-testid="signin-password-form">
      {provider?.passwordSignIn?.verified === false && (
        <Callout.Root color="amber" size="1" mb="3" data-testid="signin-unverified">
          <Callout.Icon>
            <InfoCircledIcon />
          </Callout.Icon>
          <Callout.Text>
            <Badge color="amber" mr="1">
              Unverified
            </Badge>
            TokenDesk signs in to {name} the way {name}’s public material describes, which it could not confirm. If it fails, use Edit to paste a refresh token instead.
          </Callout.Text>
        </Callout.Root>
      )}
      <Flex direction="column" gap="3">
        <label>
          <Text as="div" size="2" weight="medium" mb="1">
            {userLabel}
          </Text>
          <TextField.Root value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus required data-testid="signin-username" />
        </label>
        <label>
          <Text as="div" size="2" weight="medium" mb="1">
            Password
          </Text>
          <TextField.Root type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required data-testid="signin-password" />
        </label>
      </Flex>
      <Flex justify="end" gap="3" mt="4">
        <Button type="button" variant="soft" color="gray" onClick={cancelSignIn}>
          Cancel
        </Button>
        <Button type="submit" disabled={!username.trim() || !password}>
          Sign in
        </Button>
      </Flex>
    </form>
  );
}
