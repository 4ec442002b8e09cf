// Settings: theme, refresh margin, clipboard clearing, refresh-token warning, launch at login (desktop app only), and
// how well the vault is protected (with the plain warning for Linux's basic_text fallback).
// One model: the theme previews as it is chosen, everything is kept only by Save, and Cancel
// puts the saved theme back.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Badge, Box, Button, DataList, Dialog, Flex, Heading, SegmentedControl, Separator, Switch, Text, TextField } from '@radix-ui/themes';
import { LockClosedIcon } from '@radix-ui/react-icons';
import '../zod-config.js';
import { AppSettingsSchema, type AppSettings } from '../../../shared/contract.js';
import { call, errorText, host } from '../state/api.js';
import { store, useStore } from '../state/store.js';
import { toast } from '../state/toasts.js';
import { fullTime } from '../lib/time.js';
import { leaveEscapeToDialogAbove } from './dialog-stack.js';
import { SectionHeading } from './common.js';
import { previewTheme } from './useAppearance.js';
import { WeakVaultWarning } from './WeakVaultWarning.js';
import './SettingsDialog.css';
import { TeamSection } from './TeamVaultPanels.js';
import { DialogCancel } from './dialog-parts.js';

export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const settings = useStore((s) => s.settings);
  const content = useRef<HTMLDivElement>(null);
  return (
    <Dialog.Root open={open} onOpenChange={(o) => !o && onClose()}>
      <Dialog.Content ref={content} maxWidth="600px" className="settings-dialog" data-testid="settings-dialog" onEscapeKeyDown={(e) => leaveEscapeToDialogAbove(content.current, e)}>
        <Dialog.Title>Settings</Dialog.Title>
        <Dialog.Description size="2" color="gray" mb="3" data-testid="settings-model">
          The theme shows as you choose it; Cancel puts the previous one back. Everything applies when you save.
        </Dialog.Description>
        {settings ? (
          <SettingsForm settings={settings} onClose={onClose} />
        ) : (
          <>
            <Text>Loading…</Text>
            <VaultSection />
            <TeamSection />
          </>
        )}
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
  warningDays: string;
}

function toDraft(s: AppSettings): Draft {
  return {
    theme: s.theme,
    percent: String(Math.round(s.refreshMarginPolicy.fraction * 1000) / 10),
    minSeconds: String(Math.round(s.refreshMarginPolicy.minMs / 1000)),
    maxMinutes: String(Math.round((s.refreshMarginPolicy.maxMs / 60_000) * 10) / 10),
    clipboard: String(s.clipboardClearSeconds),
    launchAtLogin: s.launchAtLogin,
    warningDays: String(s.refreshTokenWarningDays),
  };
}

type Errors = Partial<Record<keyof Draft | 'form', string>>;

/** The draft checked as the owner will check it: settings to save, or an error per field. */
function checkDraft(draft: Draft): { ok: true; settings: AppSettings } | { ok: false; errors: Errors } {
  const errs: Errors = {};
  const num = (key: keyof Draft, label: string): number => {
    const text = String(draft[key]).trim();
    const v = Number(text);
    if (text === '' || !Number.isFinite(v) || v < 0) errs[key] = `${label} must be a number of at least 0`;
    return v;
  };
  const percent = num('percent', 'Share of lifetime');
  const minS = num('minSeconds', 'At least');
  const maxM = num('maxMinutes', 'At most');
  const clip = num('clipboard', 'Clear the clipboard after');
  const warningDays = num('warningDays', 'Warn before a refresh token expires');
  if (!errs.percent && (percent <= 0 || percent > 50)) errs.percent = 'Share of lifetime must be more than 0 % and at most 50 %';
  if (!errs.minSeconds && !errs.maxMinutes && minS * 1000 > maxM * 60_000) errs.maxMinutes = 'At most must not be below at least';
  if (!errs.clipboard && !Number.isInteger(clip)) errs.clipboard = 'Clear the clipboard after must be whole seconds (0 = never)';
  if (!errs.warningDays && (!Number.isInteger(warningDays) || warningDays > 365)) errs.warningDays = 'Warn before a refresh token expires must be whole days from 0 to 365 (0 = never)';
  const candidate: AppSettings = {
    theme: draft.theme,
    launchAtLogin: draft.launchAtLogin,
    clipboardClearSeconds: clip,
    refreshTokenWarningDays: warningDays,
    refreshMarginPolicy: { fraction: percent / 100, minMs: Math.round(minS * 1000), maxMs: Math.round(maxM * 60_000) },
  };
  if (Object.keys(errs).length) return { ok: false, errors: errs };
  // The contract's schema has the final word (the same check the owner makes).
  const parsed = AppSettingsSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, settings: candidate };
  const issue = parsed.error.issues[0]!;
  const path = issue.path.join('.');
  const key = path.includes('fraction') ? 'percent' : path.includes('minMs') ? 'minSeconds' : path.includes('maxMs') ? 'maxMinutes' : path.includes('clipboard') ? 'clipboard' : path.includes('refreshTokenWarning') ? 'warningDays' : 'form';
  return { ok: false, errors: { [key]: issue.message } };
}

function SettingsForm({ settings, onClose }: { settings: AppSettings; onClose: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const web = host() === 'web';
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  // The theme previews as it is chosen; closing without saving (Cancel, Esc, unmount) puts the saved one back.
  useEffect(() => () => previewTheme(undefined), []);
  const chooseTheme = (theme: AppSettings['theme']) => {
    set({ theme });
    previewTheme(theme);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const checked = checkDraft(draft);
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    setBusy(true);
    try {
      const saved = await call('settings.set', checked.settings);
      store.setSettings(saved);
      previewTheme(undefined);
      toast({ tone: 'success', title: 'Settings saved' });
      onClose();
    } catch (err) {
      setErrors({ form: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  const marginError = errors.percent ?? errors.minSeconds ?? errors.maxMinutes;

  return (
    <form onSubmit={(e) => void save(e)} noValidate className="settings-form">
      <Flex direction="column" gap="4">
        <Box>
          <Text as="div" size="2" weight="medium" mb="1" id="theme-label">
            Theme
          </Text>
          <SegmentedControl.Root value={draft.theme} onValueChange={(v) => chooseTheme(v as AppSettings['theme'])} aria-labelledby="theme-label">
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
          <div className="settings-margin-fields">
            <NumberField id="percent" label="Share of lifetime (%)" value={draft.percent} invalid={Boolean(errors.percent)} errorId="s-margin-error" onChange={(v) => set({ percent: v })} />
            <NumberField id="minSeconds" label="At least (seconds)" value={draft.minSeconds} invalid={Boolean(errors.minSeconds)} errorId="s-margin-error" onChange={(v) => set({ minSeconds: v })} />
            <NumberField id="maxMinutes" label="At most (minutes)" value={draft.maxMinutes} invalid={Boolean(errors.maxMinutes)} errorId="s-margin-error" onChange={(v) => set({ maxMinutes: v })} />
          </div>
          <FieldError id="s-margin-error" error={marginError} />
        </Box>
        <Box>
          <NumberField
            id="clipboard"
            label="Clear the clipboard after (seconds, 0 = never)"
            value={draft.clipboard}
            invalid={Boolean(errors.clipboard)}
            errorId="s-clipboard-error"
            onChange={(v) => set({ clipboard: v })}
            help={web ? 'In the browser TokenDesk clears it only if it may read the clipboard and it still holds the copied token.' : 'Only if it still holds the copied token.'}
          />
          <FieldError id="s-clipboard-error" error={errors.clipboard} />
        </Box>
        <Box>
          <NumberField
            id="warningDays"
            label="Warn before a refresh token expires (days, 0 = never)"
            value={draft.warningDays}
            invalid={Boolean(errors.warningDays)}
            errorId="s-warning-days-error"
            onChange={(v) => set({ warningDays: v })}
            help="Where the provider says how long the refresh token lives (UPS: about 60 days); sign in again before it does."
          />
          <FieldError id="s-warning-days-error" error={errors.warningDays} />
        </Box>
        {web ? (
          <Text as="p" size="1" color="gray" data-testid="desktop-only-note">
            Launch at login is a desktop app setting: this dashboard runs in a browser, served by tokendesk serve, which you or your service manager start.
          </Text>
        ) : (
          <Text as="label" size="2">
            <Flex gap="2" align="center">
              <Switch checked={draft.launchAtLogin} onCheckedChange={(v) => set({ launchAtLogin: v })} /> Launch TokenDesk at login
            </Flex>
          </Text>
        )}
      </Flex>
      <Separator size="4" my="4" />
      <VaultSection />
      <Separator size="4" my="3" />
      <TeamSection />
      {errors.form && (
        <Text as="div" size="2" color="red" mt="2" role="alert" data-testid="s-form-error">
          {errors.form}
        </Text>
      )}
      <Flex gap="3" justify="end" mt="2" className="settings-actions dialog-footer" data-testid="settings-actions">
        <DialogCancel />
        <Button type="submit" loading={busy}>
          Save settings
        </Button>
      </Flex>
    </form>
  );
}

/** An error line whose space is always kept, so a message appearing moves nothing. */
function FieldError({ id, error }: { id: string; error?: string }) {
  return (
    <Text as="div" size="1" color="red" mt="1" id={id} className="settings-error" role={error ? 'alert' : undefined} data-testid={id}>
      {error ?? ''}
    </Text>
  );
}

function NumberField({ id, label, value, invalid, errorId, help, onChange }: { id: string; label: string; value: string; invalid: boolean; errorId: string; help?: string; onChange: (v: string) => void }) {
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
        aria-invalid={invalid}
        aria-describedby={[help ? `s-${id}-help` : '', invalid ? errorId : ''].filter(Boolean).join(' ') || undefined}
      />
      {help && (
        <Text as="div" size="1" color="gray" mt="1" id={`s-${id}-help`}>
          {help}
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
      <SectionHeading icon={<LockClosedIcon />}>Vault protection</SectionHeading>
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
                <Badge color={PROTECTION_COLOR[vault.protection]} highContrast>{vault.protection}</Badge>
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
