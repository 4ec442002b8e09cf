// "Add a provider from file" (README "Provider files"): a provider definition chosen from
// disk (or pasted) is checked by the owner, which shows what it will send — secrets masked —
// and what it reads from the sample answer, before anything is saved.
import { useState, type ChangeEvent } from 'react';
import { Badge, Button, Callout, Code, Dialog, Flex, Text, TextArea } from '@radix-ui/themes';
import { ExclamationTriangleIcon, FileIcon } from '@radix-ui/react-icons';
import type { CallOutput } from '../../../shared/contract.js';
import { call, errorText } from '../state/api.js';
import { store } from '../state/store.js';
import { toast } from '../state/toasts.js';
import { fullTime } from '../lib/time.js';
import './ProviderFileDialog.css';
import { DialogCancel } from './dialog-parts.js';

type Preview = CallOutput<'providers.preview'>;

interface Loaded {
  definition: unknown;
  preview: Preview;
}

function PreviewView({ preview }: { preview: Preview }) {
  if (!preview.ok) {
    return (
      <Callout.Root color="red" role="alert" data-testid="provider-file-problems">
        <Callout.Icon>
          <ExclamationTriangleIcon />
        </Callout.Icon>
        <Callout.Text>The file was refused; nothing is saved.</Callout.Text>
        <ul className="provider-file-problems">
          {preview.problems.map((p, i) => (
            <li key={i}>
              <Code>{p.path || '/'}</Code> {p.message}
            </li>
          ))}
        </ul>
      </Callout.Root>
    );
  }
  const { provider, request, answer } = preview;
  return (
    <div className="provider-file-preview" data-testid="provider-file-preview">
      <Text as="p" size="2">
        <strong>{provider?.name}</strong> <Code>{provider?.id}</Code> — {provider?.summary}
      </Text>
      {preview.replaces && (
        <Callout.Root color="amber" size="1">
          <Callout.Text>
            Replaces the stored file (revision {preview.replaces.revision}, used by {preview.replaces.accounts} account{preview.replaces.accounts === 1 ? '' : 's'}).
          </Callout.Text>
        </Callout.Root>
      )}
      <Text as="div" size="2" weight="medium" mt="2">
        Fields
      </Text>
      <Flex gap="1" wrap="wrap">
        {provider?.fields.map((f) => (
          <Badge key={f.id} color={f.secret ? 'amber' : 'gray'} variant="soft">
            {f.label}
            {f.secret ? ' (secret)' : ''}
          </Badge>
        ))}
      </Flex>
      {request && (
        <>
          <Text as="div" size="2" weight="medium" mt="2">
            What it will send (secrets masked)
          </Text>
          <pre className="provider-file-request" aria-label="The refresh request">
            {`${request.method} ${request.url}\n${Object.entries(request.headers)
              .map(([k, v]) => `${k}: ${v}`)
              .join('\n')}${request.body !== undefined ? `\n\n${request.body}` : ''}`}
          </pre>
        </>
      )}
      {answer && (
        <Text as="p" size="2">
          From its sample answer: access token {answer.accessToken}
          {answer.refreshToken ? `, refresh token ${answer.refreshToken}${answer.rotated ? ' (rotated)' : ''}` : ''}
          {answer.expiresAt !== undefined ? `, expires ${fullTime(answer.expiresAt)}` : ', no expiry in the answer'}.
        </Text>
      )}
      {preview.answerError && (
        <Text as="p" size="2" color="amber">
          {preview.answerError}
        </Text>
      )}
    </div>
  );
}

/** The button and its dialog; `onAdded` gets the id of the saved provider. */
export function ProviderFileDialog({ onAdded }: { onAdded: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setText('');
    setLoaded(undefined);
    setError(undefined);
  };

  const check = async (json: string) => {
    setLoaded(undefined);
    setError(undefined);
    let definition: unknown;
    try {
      definition = JSON.parse(json);
    } catch (err) {
      setError(`This is not JSON: ${(err as Error).message}`);
      return;
    }
    try {
      setLoaded({ definition, preview: await call('providers.preview', { definition }) });
    } catch (err) {
      setError(errorText(err));
    }
  };

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    const content = await file.text();
    setText(content);
    await check(content);
  };

  const save = async () => {
    if (!loaded?.preview.ok) return;
    setBusy(true);
    try {
      const added = await call('providers.add', { definition: loaded.definition, replace: Boolean(loaded.preview.replaces) });
      store.setProviders(await call('providers.list', {}));
      toast({ tone: 'success', title: `${added.replaced ? 'Replaced' : 'Added'} ${added.provider.name}`, description: `Revision ${added.revision}. It is in the provider list now.` });
      setOpen(false);
      reset();
      onAdded(added.provider.id);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) reset();
      }}
    >
      <Dialog.Trigger>
        <Button type="button" variant="ghost" size="1">
          <FileIcon /> Add a provider from file…
        </Button>
      </Dialog.Trigger>
      <Dialog.Content maxWidth="720px" data-testid="provider-file-dialog">
        <Dialog.Title>Add a provider from file</Dialog.Title>
        <Dialog.Description size="2" color="gray" mb="3">
          A provider file describes a token endpoint TokenDesk does not know yet. Check what it will send before you save it.
        </Dialog.Description>
        <Flex direction="column" gap="2">
          <label className="provider-file-pick">
            <Text size="2">Provider file (JSON)</Text>
            <input type="file" accept="application/json,.json" onChange={(e) => void onFile(e)} aria-label="Provider file" />
          </label>
          <TextArea
            placeholder="…or paste the JSON here"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onBlur={() => text.trim() && void check(text)}
            rows={4}
            aria-label="Provider definition JSON"
            className="provider-file-text"
          />
          {error && (
            <Text size="2" color="red" role="alert">
              {error}
            </Text>
          )}
          {loaded && <PreviewView preview={loaded.preview} />}
        </Flex>
        <Flex gap="3" mt="4" justify="end">
          <DialogCancel />
          <Button type="button" disabled={!loaded?.preview.ok || busy} onClick={() => void save()}>
            {loaded?.preview.replaces ? 'Replace provider' : 'Save provider'}
          </Button>
        </Flex>
      </Dialog.Content>
    </Dialog.Root>
  );
}
