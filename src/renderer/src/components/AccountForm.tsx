// Add / edit an account. The form is generated from the provider's field descriptors
// and validated with the same zod schemas the core applies (src/shared/providers).
// "Test now" performs one real refresh without saving; saving then hands its draftId
// to accounts.add, so a refresh token the test rotated is kept (service.ts "drafts").
// For a provider TokenDesk can sign in to, the user may instead sign in: the account is
// saved without tokens and its sign-in starts (components/SignInDialog.tsx).
// Its parts are in account-form/: the state in useAccountForm.ts, the field groups beside it.
import { useRef } from 'react';
import { Button, Callout, Dialog, Flex, Separator, Text, TextField } from '@radix-ui/themes';
import { CrossCircledIcon } from '@radix-ui/react-icons';
import type { AccountView } from '../../../shared/contract.js';
import { CredentialFields } from './account-form/CredentialFields.js';
import { EndpointFields } from './account-form/EndpointFields.js';
import { describedBy, FormField, inputId } from './account-form/FormField.js';
import { ProviderPicker } from './account-form/ProviderPicker.js';
import { RefreshFields } from './account-form/RefreshFields.js';
import { TestOutcome } from './account-form/TestOutcome.js';
import { useAccountForm } from './account-form/useAccountForm.js';
import { leaveEscapeToDialogAbove } from './dialog-stack.js';

export type FormMode = { kind: 'add' } | { kind: 'edit'; account: AccountView };

interface Props {
  mode: FormMode | undefined;
  onClose: () => void;
  onSaved: (account: AccountView) => void;
}

export function AccountFormDialog({ mode, onClose, onSaved }: Props) {
  const content = useRef<HTMLDivElement>(null);
  return (
    <Dialog.Root open={mode !== undefined} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Content
        ref={content}
        maxWidth="680px"
        className="form-dialog"
        aria-describedby={undefined}
        data-testid="account-form"
        onEscapeKeyDown={(e) => leaveEscapeToDialogAbove(content.current, e)}
      >
        {mode && <AccountForm key={mode.kind === 'edit' ? mode.account.id : 'add'} mode={mode} onClose={onClose} onSaved={onSaved} />}
      </Dialog.Content>
    </Dialog.Root>
  );
}

function AccountForm({ mode, onClose, onSaved }: { mode: FormMode; onClose: () => void; onSaved: (a: AccountView) => void }) {
  const editing = mode.kind === 'edit' ? mode.account : undefined;
  const form = useAccountForm(editing, onSaved);
  const { state, descriptor, errors, busy, update, clearError } = form;
  const fields = { state, errors, update, clearError };

  return (
    <form onSubmit={(e) => void form.save(e)} noValidate aria-label={editing ? `Edit ${editing.name}` : 'Add an account'}>
      <Dialog.Title>{editing ? `Edit ${editing.name}` : 'Add an account'}</Dialog.Title>
      <Text as="p" size="2" color="gray" mb="3">
        {editing
          ? 'Secrets left empty keep their stored value. New credentials make TokenDesk try again.'
          : 'Credentials are stored encrypted on this computer and sent only to the provider.'}
      </Text>

      {!editing && <ProviderPicker value={state.providerId} onChange={form.chooseProvider} />}

      <FormField id="name" label="Name" required help="A unique name you will recognise, e.g. ups-prod. The CLI uses it too." error={errors['name']}>
        <TextField.Root
          id={inputId('name')}
          value={state.name}
          onChange={(e) => {
            update({ name: e.target.value });
            clearError('name');
          }}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={Boolean(errors['name'])}
          aria-describedby={describedBy('name', errors)}
          aria-required
        />
      </FormField>

      <EndpointFields descriptor={descriptor} {...fields} />

      <Separator size="4" my="3" />
      <CredentialFields descriptor={descriptor} values={state.values} errors={errors} editing={Boolean(editing)} onChange={form.setValue} source={form.credentialSource} />

      <RefreshFields editing={Boolean(editing)} signingIn={form.signingIn} {...fields} />

      {!form.signingIn && <TestOutcome test={form.test} fingerprint={form.fingerprint} />}
      {errors['form'] && (
        <Callout.Root color="red" size="1" mt="2" role="alert" data-testid="form-error">
          <Callout.Icon>
            <CrossCircledIcon />
          </Callout.Icon>
          <Callout.Text>{errors['form']}</Callout.Text>
        </Callout.Root>
      )}

      <Flex gap="3" mt="4" justify="end" wrap="wrap" className="dialog-footer">
        <Dialog.Close>
          <Button type="button" variant="soft" color="gray" onClick={onClose}>
            Cancel
          </Button>
        </Dialog.Close>
        {!editing && !form.signingIn && (
          <Button type="button" variant="soft" loading={busy === 'test'} disabled={busy === 'save'} onClick={() => void form.runTest()}>
            Test now
          </Button>
        )}
        <Button type="submit" loading={busy === 'save'} disabled={busy === 'test'}>
          {editing ? 'Save changes' : form.signingIn ? 'Save and sign in' : form.draftValid ? 'Save with tested tokens' : 'Save account'}
        </Button>
      </Flex>
    </form>
  );
}
