// When to refresh a token that carries no expiry, and, adding an account with a pasted
// access token, how long that token lives (not when signing in: the sign-in tells).
import { Flex, TextField } from '@radix-ui/themes';
import { describedBy, FormField, inputId, type FieldGroupProps } from './FormField.js';

export function RefreshFields({ state, errors, update, clearError, editing, signingIn }: FieldGroupProps & { editing: boolean; signingIn: boolean }) {
  const hasAccessToken = !signingIn && (state.values['access_token'] ?? '').trim() !== '';
  return (
    <Flex gap="4" wrap="wrap">
      <FormField id="refreshEvery" label="Refresh every (optional)" help="Used when a token carries no expiry: e.g. 30m, 2h, 1d." error={errors['refreshEvery']}>
        <TextField.Root
          id={inputId('refreshEvery')}
          value={state.refreshEvery}
          placeholder="e.g. 30m"
          onChange={(e) => {
            update({ refreshEvery: e.target.value });
            clearError('refreshEvery');
          }}
          autoComplete="off"
          aria-invalid={Boolean(errors['refreshEvery'])}
          aria-describedby={describedBy('refreshEvery', errors)}
        />
      </FormField>
      {!editing && hasAccessToken && (
        <FormField id="accessTokenExpiresIn" label="Access token lifetime (seconds, optional)" help="How long the pasted access token lives, if you know it." error={errors['accessTokenExpiresIn']}>
          <TextField.Root
            id={inputId('accessTokenExpiresIn')}
            value={state.accessTokenExpiresIn}
            placeholder="e.g. 3600"
            inputMode="numeric"
            onChange={(e) => {
              update({ accessTokenExpiresIn: e.target.value });
              clearError('accessTokenExpiresIn');
            }}
            aria-invalid={Boolean(errors['accessTokenExpiresIn'])}
            aria-describedby={describedBy('accessTokenExpiresIn', errors)}
          />
        </FormField>
      )}
    </Flex>
  );
}
