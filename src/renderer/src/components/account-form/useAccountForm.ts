// The account form's state and what it does: the values and their errors (focusing the
// first field in error), switching provider, "Test now", and saving — then, when the user
// chose "Sign in with …", starting the sign-in of the new account. The checks are
// lib/form.ts's, with the zod schemas the core applies; the owner's answer has the last word.
import { useEffect, useState, type FormEvent } from 'react';
import type { AccountView, CallOutput } from '../../../../shared/contract.js';
import { call, CallError, errorText } from '../../state/api.js';
import { openBlankTab, startSignIn } from '../../state/signin.js';
import { store, useStore } from '../../state/store.js';
import { toast } from '../../state/toasts.js';
import { offersSignIn } from '../../lib/signin.js';
import type { CredentialSourceChoice } from './CredentialSource.js';
import { checkAddForm, checkEditForm, emptyForm, errorsFromServer, fieldKey, formFromAccount, testedFingerprint, type FormErrors, type FormState } from '../../lib/form.js';
import { inputId } from './FormField.js';
import { descriptorOf } from '../../lib/provider-registry.js';

/** A "Test now" result and the form it was run on (testedFingerprint). */
export interface FormTest {
  result: CallOutput<'accounts.test'>;
  fingerprint: string;
}

/** `editing` is the account being edited, or undefined to add one. */
export function useAccountForm(editing: AccountView | undefined, onSaved: (account: AccountView) => void) {
  const [state, setState] = useState<FormState>(() =>
    editing ? formFromAccount(descriptorOf(editing.providerId), editing) : emptyForm(descriptorOf('ups')),
  );
  const descriptor = descriptorOf(state.providerId);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState<'test' | 'save' | undefined>();
  const [test, setTest] = useState<FormTest | undefined>();
  const fingerprint = testedFingerprint(state);
  const draftValid = test?.result.ok && test.result.draftId && test.fingerprint === fingerprint;
  // Adding an account of a provider TokenDesk can sign in to: sign in (default) or paste a token.
  const signInMethods = useStore((s) => s.providerById[state.providerId]?.signIn);
  const [source, setSource] = useState<CredentialSourceChoice>('signin');
  const sourceOffered = !editing && offersSignIn(signInMethods, state.values);
  const signingIn = sourceOffered && source === 'signin';

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

  const chooseProvider = (id: string) => {
    const next = emptyForm(descriptorOf(id));
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
    const checked = checkAddForm(state, descriptor, draftValid && !signingIn ? test!.result.draftId : undefined, signingIn);
    if (!checked.ok) return fail(checked.errors);
    // In a browser the sign-in page's tab opens now, inside the submit's gesture.
    const tab = signingIn ? openBlankTab() : null;
    setBusy('save');
    try {
      const account = await call('accounts.add', checked.input);
      store.applyAccount(account);
      if (signingIn) {
        toast({ tone: 'info', title: `Added ${account.name}`, description: `Sign in to ${descriptor.name} to get its tokens.` });
        startSignIn(account.id, 'browser', tab);
      } else {
        toast({ tone: 'success', title: `Added ${account.name}`, description: draftValid ? 'It keeps the tokens the test obtained.' : 'TokenDesk refreshes it from now on.' });
      }
      onSaved(account);
    } catch (err) {
      tab?.close();
      onServerError(err);
    } finally {
      setBusy(undefined);
    }
  };

  const credentialSource = sourceOffered ? { value: source, onChange: setSource } : undefined;
  return { state, descriptor, errors, busy, test, fingerprint, draftValid, signingIn, credentialSource, update, setValue, clearError, chooseProvider, runTest, save };
}
