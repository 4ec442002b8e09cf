// Add / edit an account. The form is generated from the provider's field descriptors
// and validated with the same zod schemas the core applies (src/shared/providers).
// "Test now" performs one real refresh without saving; saving then hands its draftId
// to accounts.add, so a refresh token the test rotated is kept (service.ts "drafts").
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Box, Button, Callout, Dialog, Flex, Heading, RadioCards, RadioGroup, Separator, Text, TextField } from '@radix-ui/themes';
import { CheckCircledIcon, CrossCircledIcon, ExclamationTriangleIcon } from '@radix-ui/react-icons';
import type { AccountView, CallOutput } from '../../../shared/contract.js';
import { PROVIDER_IDS, type ProviderId } from '../../../shared/domain.js';
import type { FieldSpec } from '../../../shared/provider-fields.js';
import { providerDescriptors } from '../../../shared/providers/index.js';
import { call, CallError, errorText } from '../state/api.js';
import { store } from '../state/store.js';
import { toast } from '../state/toasts.js';
import { checkAddForm, checkEditForm, emptyForm, errorsFromServer, fieldKey, formFromAccount, testedFingerprint, type FormErrors, type FormState } from '../lib/form.js';
import { compactDuration } from '../lib/time.js';
import { errorClassWords } from '../lib/status.js';

export type FormMode = { kind: 'add' } | { kind: 'edit'; account: AccountView };

interface Props {
  mode: FormMode | undefined;
  onClose: () => void;
  onSaved: (account: AccountView) => void;
}


const inputId = (key: string): string => `f-${key.replace(/\./g, '-')}`;

export function AccountFormDialog({ mode, onClose, onSaved }: Props) {
  return (
    <Dialog.Root open={mode !== undefined} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Content maxWidth="680px" className="form-dialog" aria-describedby={undefined} data-testid="account-form">
        {mode && <AccountForm key={mode.kind === 'edit' ? mode.account.id : 'add'} mode={mode} onClose={onClose} onSaved={onSaved} />}
      </Dialog.Content>
    </Dialog.Root>
  );
}

function AccountForm({ mode, onClose, onSaved }: { mode: FormMode; onClose: () => void; onSaved: (a: AccountView) => void }) {
  const editing = mode.kind === 'edit' ? mode.account : undefined;
  const [state, setState] = useState<FormState>(() =>
    editing ? formFromAccount(providerDescriptors[editing.providerId], editing) : emptyForm(providerDescriptors.ups),
  );
  const descriptor = providerDescriptors[state.providerId];
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState<'test' | 'save' | undefined>();
  const [test, setTest] = useState<{ result: CallOutput<'accounts.test'>; fingerprint: string } | undefined>();
  const fingerprint = testedFingerprint(state);
  const draftValid = test?.result.ok && test.result.draftId && test.fingerprint === fingerprint;
  const staleRotatedDraft = test?.result.ok && test.result.rotated && test.fingerprint !== fingerprint;

  // Focus the first field in error after a failed validation (once it is rendered).
  const [focusTarget, setFocusTarget] = useState<{ key: string } | undefined>();
  useEffect(() => {
    if (focusTarget) document.getElementById(inputId(focusTarget.key))?.focus();
  }, [focusTarget]);

  const update = (patch: Partial<FormState>) => setState((s) => ({ ...s, ...patch }));
  const setValue = (id: string, value: string) => {
    setState((s) => ({ ...s, values: { ...s.values, [id]: value } }));
    setErrors(({ [fieldKey(id)]: _gone, ...rest }) => rest);
  };
  const clearError = (key: string) => setErrors(({ [key]: _gone, ...rest }) => rest);

  const chooseProvider = (id: ProviderId) => {
    const next = emptyForm(providerDescriptors[id]);
    setState((s) => ({ ...next, name: s.name, refreshEvery: s.refreshEvery }));
    setErrors({});
    setTest(undefined);
  };

  const fail = (errs: FormErrors) => {
    setErrors(errs);
    const order = ['name', 'environment', 'baseUrl', ...descriptor.fields.map((f) => fieldKey(f.id)), 'refreshEvery', 'accessTokenExpiresIn'];
    const first = order.find((k) => errs[k]);
    if (first) setFocusTarget({ key: first });
  };

  const onServerError = (err: unknown) => {
    if (err instanceof CallError && err.code === 'invalid_input') return fail(errorsFromServer(err.message, descriptor.fields.map((f) => f.id)));
    if (err instanceof CallError && err.code === 'conflict') return fail({ name: err.message });
    setErrors({ form: errorText(err) });
  };

  const runTest = async () => {
    const checked = checkAddForm(state, descriptor);
    if (!checked.ok) return fail(checked.errors);
    setErrors({});
    setBusy('test');
    setTest(undefined);
    try {
      const result = await call('accounts.test', checked.input);
      setTest({ result, fingerprint });
    } catch (err) {
      onServerError(err);
    } finally {
      setBusy(undefined);
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (editing) {
      const checked = checkEditForm(state, descriptor, editing);
      if (!checked.ok) return fail(checked.errors);
      setBusy('save');
      try {
        const account = await call('accounts.update', checked.input);
        store.applyAccount(account);
        toast({ tone: 'success', title: `Saved ${account.name}` });
        onSaved(account);
      } catch (err) {
        onServerError(err);
      } finally {
        setBusy(undefined);
      }
      return;
    }
    const checked = checkAddForm(state, descriptor, draftValid ? test!.result.draftId : undefined);
    if (!checked.ok) return fail(checked.errors);
    setBusy('save');
    try {
      const account = await call('accounts.add', checked.input);
      store.applyAccount(account);
      toast({ tone: 'success', title: `Added ${account.name}`, description: draftValid ? 'It keeps the tokens the test obtained.' : 'TokenDesk refreshes it from now on.' });
      onSaved(account);
    } catch (err) {
      onServerError(err);
    } finally {
      setBusy(undefined);
    }
  };

  const environments = descriptor.environments;
  const chosenEnv = environments.find((e) => e.id === state.environment);
  const hasAccessToken = (state.values['access_token'] ?? '').trim() !== '';

  return (
    <form onSubmit={(e) => void save(e)} noValidate aria-label={editing ? `Edit ${editing.name}` : 'Add an account'}>
      <Dialog.Title>{editing ? `Edit ${editing.name}` : 'Add an account'}</Dialog.Title>
      <Text as="p" size="2" color="gray" mb="3">
        {editing
          ? 'Secrets left empty keep their stored value. New credentials make TokenDesk try again.'
          : 'Credentials are stored encrypted on this computer and sent only to the provider.'}
      </Text>

      {!editing && (
        <Box mb="3">
          <Text as="div" size="2" weight="medium" mb="1" id="provider-label">
            Provider
          </Text>
          <RadioCards.Root
            value={state.providerId}
            onValueChange={(v) => chooseProvider(v as ProviderId)}
            columns={{ initial: '1', sm: '2', md: '3' }}
            size="1"
            aria-labelledby="provider-label"
          >
            {PROVIDER_IDS.map((id) => (
              <RadioCards.Item key={id} value={id} className="provider-card" aria-label={providerDescriptors[id].name}>
                <Flex direction="column" width="100%">
                  <Text weight="bold" size="2">
                    {providerDescriptors[id].name}
                  </Text>
                  <Text size="1" color="gray" className="provider-summary">
                    {providerDescriptors[id].summary}
                  </Text>
                </Flex>
              </RadioCards.Item>
            ))}
          </RadioCards.Root>
        </Box>
      )}

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

      {environments.length > 0 && (
        <Flex gap="4" wrap="wrap" className="env-row">
          {environments.length > 1 && (
            <FormField id="environment" label="Environment" error={errors['environment']} grow={false}>
              <RadioGroup.Root
                id={inputId('environment')}
                value={state.environment}
                onValueChange={(v) => update({ environment: v })}
                aria-labelledby="environment-label"
                size="2"
              >
                {environments.map((env) => (
                  <Text as="label" size="2" key={env.id}>
                    <Flex gap="2" align="center">
                      <RadioGroup.Item value={env.id} /> {env.label}
                    </Flex>
                  </Text>
                ))}
              </RadioGroup.Root>
            </FormField>
          )}
          <FormField id="baseUrl" label="Base URL override (optional)" help={`Empty: ${chosenEnv?.label ?? 'the environment'}’s URL. https://, or http:// on localhost (simulators, proxies).`} error={errors['baseUrl']}>
            <TextField.Root
              id={inputId('baseUrl')}
              value={state.baseUrl}
              placeholder={chosenEnv?.baseUrl ?? environments[0]!.baseUrl}
              onChange={(e) => {
                update({ baseUrl: e.target.value });
                clearError('baseUrl');
              }}
              autoComplete="off"
              spellCheck={false}
              inputMode="url"
              aria-invalid={Boolean(errors['baseUrl'])}
              aria-describedby={describedBy('baseUrl', errors)}
            />
          </FormField>
        </Flex>
      )}

      <Separator size="4" my="3" />
      <Heading as="h3" size="2" mb="2">
        {descriptor.name} credentials
      </Heading>
      {descriptor.fields.map((field) => (
        <ProviderField
          key={`${descriptor.id}-${field.id}`}
          field={field}
          value={state.values[field.id] ?? ''}
          error={errors[fieldKey(field.id)]}
          editing={Boolean(editing)}
          onChange={(v) => setValue(field.id, v)}
        />
      ))}

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
      {errors['form'] && (
        <Callout.Root color="red" size="1" mt="2" role="alert" data-testid="form-error">
          <Callout.Icon>
            <CrossCircledIcon />
          </Callout.Icon>
          <Callout.Text>{errors['form']}</Callout.Text>
        </Callout.Root>
      )}

      <Flex gap="3" mt="4" justify="end" wrap="wrap">
        <Dialog.Close>
          <Button type="button" variant="soft" color="gray" onClick={onClose}>
            Cancel
          </Button>
        </Dialog.Close>
        {!editing && (
          <Button type="button" variant="soft" loading={busy === 'test'} disabled={busy === 'save'} onClick={() => void runTest()}>
            Test now
          </Button>
        )}
        <Button type="submit" loading={busy === 'save'} disabled={busy === 'test'}>
          {editing ? 'Save changes' : draftValid ? 'Save with tested tokens' : 'Save account'}
        </Button>
      </Flex>
    </form>
  );
}

function describedBy(key: string, errors: FormErrors): string {
  return [`${inputId(key)}-help`, errors[key] ? `${inputId(key)}-error` : ''].filter(Boolean).join(' ');
}

function FormField({ id, label, help, error, required, grow = true, children }: { id: string; label: string; help?: string; error?: string; required?: boolean; grow?: boolean; children: ReactNode }) {
  return (
    <Box mb="3" className={`form-field${grow ? ' grow' : ''}`}>
      <Text as="label" size="2" weight="medium" htmlFor={inputId(id)} id={id === 'environment' ? 'environment-label' : undefined} className="field-label">
        {label}
        {required && (
          <Text color="red" aria-hidden="true">
            {' '}*
          </Text>
        )}
      </Text>
      <Box mt="1">{children}</Box>
      {help && (
        <Text as="div" size="1" color="gray" mt="1" id={`${inputId(id)}-help`}>
          {help}
        </Text>
      )}
      {error && (
        <Text as="div" size="1" color="red" mt="1" id={`${inputId(id)}-error`} className="field-error" data-testid={`error-${id}`}>
          {error}
        </Text>
      )}
    </Box>
  );
}

function ProviderField({ field, value, error, editing, onChange }: { field: FieldSpec; value: string; error?: string; editing: boolean; onChange: (v: string) => void }) {
  const key = fieldKey(field.id);
  const id = inputId(key);
  const required = field.required && !(editing && field.secret);
  const help = editing && field.secret ? `${field.help} Leave empty to keep the stored value.` : field.help;
  if (field.options) {
    return (
      <FormField id={key} label={field.label} help={help} error={error} required={required}>
        <RadioGroup.Root id={id} value={value || field.default || ''} onValueChange={onChange} aria-label={field.label} size="2">
          <Flex gap="4" wrap="wrap">
            {field.options.map((option) => (
              <Text as="label" size="2" key={option}>
                <Flex gap="2" align="center">
                  <RadioGroup.Item value={option} /> {option}
                </Flex>
              </Text>
            ))}
          </Flex>
        </RadioGroup.Root>
      </FormField>
    );
  }
  return (
    <FormField id={key} label={field.label} help={help} error={error} required={required}>
      <TextField.Root
        id={id}
        type={field.secret ? 'password' : 'text'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={field.secret && editing ? '(unchanged)' : field.default}
        // Secrets: keep password managers and spellcheckers out of it.
        autoComplete={field.secret ? 'new-password' : 'off'}
        spellCheck={false}
        aria-invalid={Boolean(error)}
        aria-describedby={describedBy(key, error ? { [key]: error } : {})}
        aria-required={required}
        data-field={field.id}
      />
    </FormField>
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
        The test failed{result.httpStatus ? ` (HTTP ${result.httpStatus})` : ''}: {errorClassWords(result.errorClass)}. {result.message}
      </Callout.Text>
    </Callout.Root>
  );
}
