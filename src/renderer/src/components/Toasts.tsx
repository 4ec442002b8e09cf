// The toasts (state/toasts.ts) on screen, announced to screen readers. A toast with an
// action (Undo) is a foreground toast: it stays for its own duration and its button is
// reachable with F8, Radix's hotkey for the toast region.
import { Toast } from 'radix-ui';
import { Cross2Icon } from '@radix-ui/react-icons';
import { Button, IconButton, Tooltip } from '@radix-ui/themes';
import { dismissToast, useToasts } from '../state/toasts.js';
import './Toasts.css';

export function Toasts() {
  const list = useToasts();
  return (
    <Toast.Provider swipeDirection="right" duration={6000} label="Notification">
      {list.map((t) => (
        <Toast.Root
          key={t.id}
          className={`toast toast-${t.tone}`}
          type={t.tone === 'error' || t.action ? 'foreground' : 'background'}
          duration={t.durationMs ?? (t.tone === 'error' ? 12_000 : 6000)}
          onOpenChange={(open) => !open && dismissToast(t.id)}
          data-testid="toast"
        >
          <div className="toast-body">
            <Toast.Title className="toast-title">{t.title}</Toast.Title>
            {t.description && <Toast.Description className="toast-description">{t.description}</Toast.Description>}
          </div>
          {t.action && (
            <Toast.Action asChild altText={t.action.altText}>
              <Button size="1" variant="soft" className="toast-action" onClick={t.action.run}>
                {t.action.label}
              </Button>
            </Toast.Action>
          )}
          <Tooltip content="Dismiss">
            <Toast.Close asChild>
              <IconButton size="1" variant="ghost" color="gray" aria-label="Dismiss">
                <Cross2Icon />
              </IconButton>
            </Toast.Close>
          </Tooltip>
        </Toast.Root>
      ))}
      <Toast.Viewport className="toast-viewport" />
    </Toast.Provider>
  );
}
