// Settings: theme, refresh margin, clipboard clearing, launch at login, and how well
// the vault is protected (with the plain warning for Linux's basic_text fallback).
import { useState, type FormEvent } from 'react';
import { Badge, Box, Button, Callout, DataList, Dialog, Flex, Heading, SegmentedControl, Separator, Switch, Text, TextField } from '@radix-ui/themes';
import { ExclamationTriangleIcon, LockClosedIcon } from '@radix-ui/react-icons';
import { AppSettingsSchema, type AppSettings } from '../../../shared/contract.js';
import { call, errorText, host } from '../state/api.js';
import { store, useStore } from '../state/store.js';
import { toast } from '../state/toasts.js';
import { fullTime } from '../lib/time.js';
import { TeamSection } from './TeamVault.js';

export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const settings = useStore((s) => s.settings);
  return (
    <Dialog.Root open={open} onOpenChange={(o) => !o && onClose()}>
      <Dialog.Content maxWidth="600px" data-testid="settings-dialog">
        <Dialog.Title>Settings</Dialog.Title>
        <Dialog.Description size="2" color="gray" mb="3">
          Changes apply at once to every account.
        </Dialog.Description>
        {settings ? <SettingsForm settings={settings} onClose={onClose} /> : <Text>Loading…</Text>}
        <Separator size="4" my="4" />
        <VaultSection />
        <Separator size="4" my="3" />
        <TeamSection />
      </Dialog.Content>
    </Dialog.Root>
  );
}

interface Draft {
  theme: AppSettings['theme'];
  percent: string;
  minSeconds: string;
  maxMinutes: string;
  clipboard: string;
  launchAtLogin: boolean;
}

function toDraft(s: AppSettings): Draft {
  return {
    theme: s.theme,
    percent: String(Math.round(s.refreshMarginPolicy.fraction * 1000) / 10),
    minSeconds: String(Math.round(s.refreshMarginPolicy.minMs / 1000)),
    maxMinutes: String(Math.round((s.refreshMarginPolicy.maxMs / 60_000) * 10) / 10),
    clipboard: String(s.clipboardClearSeconds),
    launchAtLogin: s.launchAtLogin,
  };
}

function SettingsForm({ settings, onClose }: { settings: AppSettings; onClose: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const web = host() === 'web';
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const num = (key: keyof Draft, label: string): number => {
      const v = Number(String(draft[key]).trim());
      if (String(draft[key]).trim() === '' || !Number.isFinite(v) || v < 0) errs[key] = `${label} must be a number of at least 0`;
      return v;
    };
    const percent = num('percent', 'The margin');
    const minS = num('minSeconds', 'The minimum');
    const maxM = num('maxMinutes', 'The maximum');
    const clip = num('clipboard', 'The delay');
    if (!errs['percent'] && (percent <= 0 || percent > 50)) errs['percent'] = 'The margin must be more than 0 % and at most 50 % of the lifetime';
    if (!errs['minSeconds'] && !errs['maxMinutes'] && minS * 1000 > maxM * 60_000) errs['maxMinutes'] = 'The maximum must not be below the minimum';
    if (!errs['clipboard'] && !Number.isInteger(clip)) errs['clipboard'] = 'Give whole seconds (0 = never clear)';
    const candidate: AppSettings = {
      theme: draft.theme,
      launchAtLogin: draft.launchAtLogin,
      clipboardClearSeconds: clip,
      refreshMarginPolicy: { fraction: percent / 100, minMs: Math.round(minS * 1000), maxMs: Math.round(maxM * 60_000) },
    };
    if (!Object.keys(errs).length) {
      // The contract's schema has the final word (the same check the owner makes).
      const parsed = AppSettingsSchema.safeParse(candidate);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const path = issue.path.join('.');
        const key = path.includes('fraction') ? 'percent' : path.includes('minMs') ? 'minSeconds' : path.includes('maxMs') ? 'maxMinutes' : path.includes('clipboard') ? 'clipboard' : 'form';
        errs[key] = issue.message;
      }
    }
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const saved = await call('settings.set', candidate);
      store.setSettings(saved);
      toast({ tone: 'success', title: 'Settings saved' });
      onClose();
    } catch (err) {
      setErrors({ form: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      <Flex direction="column" gap="4">
        <Box>
          <Text as="div" size="2" weight="medium" mb="1" id="theme-label">
            Theme
          </Text>
          <SegmentedControl.Root value={draft.theme} onValueChange={(v) => set({ theme: v as AppSettings['theme'] })} aria-labelledby="theme-label">
            <SegmentedControl.Item value="system">Follow the system</SegmentedControl.Item>
            <SegmentedControl.Item value="light">Light</SegmentedControl.Item>
            <SegmentedControl.Item value="dark">Dark</SegmentedControl.Item>
          </SegmentedControl.Root>
        </Box>
        <Box>
          <Heading as="h3" size="2" mb="1">
            Refresh margin
          </Heading>
          <Text as="p" size="1" color="gray" mb="2">
            How long before expiry a token is refreshed: a share of its lifetime, kept between a minimum and a maximum (never more than half the lifetime).
          </Text>
          <Flex gap="3" wrap="wrap">
            <NumberField id="percent" label="Share of lifetime (%)" value={draft.percent} error={errors['percent']} onChange={(v) => set({ percent: v })} />
            <NumberField id="minSeconds" label="At least (seconds)" value={draft.minSeconds} error={errors['minSeconds']} onChange={(v) => set({ minSeconds: v })} />
            <NumberField id="maxMinutes" label="At most (minutes)" value={draft.maxMinutes} error={errors['maxMinutes']} onChange={(v) => set({ maxMinutes: v })} />
          </Flex>
        </Box>
        <NumberField
          id="clipboard"
          label="Clear the clipboard after (seconds, 0 = never)"
          value={draft.clipboard}
          error={errors['clipboard']}
          onChange={(v) => set({ clipboard: v })}
          help={web ? 'In the browser TokenDesk clears it only if it may read the clipboard and it still holds the copied token.' : 'Only if it still holds the copied token.'}
        />
        <Text as="label" size="2">
          <Flex gap="2" align="center">
            <Switch checked={draft.launchAtLogin} onCheckedChange={(v) => set({ launchAtLogin: v })} /> Launch TokenDesk at login
          </Flex>
          {web && (
            <Text as="div" size="1" color="gray" mt="1">
              Applies to the desktop app; tokendesk serve is started by you or your service manager.
            </Text>
          )}
        </Text>
        {errors['form'] && (
          <Text color="red" size="2" role="alert">
            {errors['form']}
          </Text>
        )}
        <Flex gap="3" justify="end">
          <Dialog.Close>
            <Button type="button" variant="soft" color="gray">
              Cancel
            </Button>
          </Dialog.Close>
          <Button type="submit" loading={busy}>
            Save settings
          </Button>
        </Flex>
      </Flex>
    </form>
  );
}

function NumberField({ id, label, value, error, help, onChange }: { id: string; label: string; value: string; error?: string; help?: string; onChange: (v: string) => void }) {
  return (
    <Box className="form-field">
      <Text as="label" size="2" htmlFor={`s-${id}`}>
        {label}
      </Text>
      <TextField.Root
        id={`s-${id}`}
        mt="1"
        value={value}
        inputMode="decimal"
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={Boolean(error)}
        aria-describedby={[help ? `s-${id}-help` : '', error ? `s-${id}-error` : ''].filter(Boolean).join(' ') || undefined}
      />
      {help && (
        <Text as="div" size="1" color="gray" mt="1" id={`s-${id}-help`}>
          {help}
        </Text>
      )}
      {error && (
        <Text as="div" size="1" color="red" mt="1" id={`s-${id}-error`}>
          {error}
        </Text>
      )}
    </Box>
  );
}

const PROTECTION_COLOR = { strong: 'green', weak: 'amber', unavailable: 'red' } as const;

function VaultSection() {
  const vault = useStore((s) => s.vault);
  const owner = useStore((s) => s.owner);
  return (
    <Box data-testid="vault-status">
      <Heading as="h3" size="2" mb="2">
        <Flex gap="2" align="center">
          <LockClosedIcon /> Vault protection
        </Flex>
      </Heading>
      {vault ? (
        <>
          <DataList.Root size="2">
            <DataList.Item>
              <DataList.Label>Key protected by</DataList.Label>
              <DataList.Value>{vault.kind}</DataList.Value>
            </DataList.Item>
            <DataList.Item>
              <DataList.Label>Protection</DataList.Label>
              <DataList.Value>
                <Badge color={PROTECTION_COLOR[vault.protection]}>{vault.protection}</Badge>
              </DataList.Value>
            </DataList.Item>
          </DataList.Root>
          <Text as="p" size="2" mt="2">
            {vault.explanation}
          </Text>
          {vault.protection !== 'strong' && <WeakVaultWarning explanation={undefined} />}
        </>
      ) : (
        <Text size="2">Unknown</Text>
      )}
      {owner && (
        <Text as="p" size="1" color="gray" mt="3">
          TokenDesk {owner.version} · owner pid {owner.pid} since {fullTime(owner.startedAt)} · data in {owner.dataDir}
        </Text>
      )}
    </Box>
  );
}

export function WeakVaultWarning({ explanation }: { explanation?: string }) {
  return (
    <Callout.Root color="amber" size="1" mt="2" data-testid="weak-vault-warning">
      <Callout.Icon>
        <ExclamationTriangleIcon />
      </Callout.Icon>
      <Callout.Text>
        {explanation ? `${explanation} ` : ''}The secrets on this computer are encrypted with a key that is not well protected (for example Linux’s basic_text fallback, a hard-coded key):
        anyone who can read your files can read your tokens. Protect the vault with a passphrase or an OS keyring.
      </Callout.Text>
    </Callout.Root>
  );
}
