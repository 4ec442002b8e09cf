// The toasts (state/toasts.ts) on screen, announced to screen readers.
import { Toast } from 'radix-ui';
import { Cross2Icon } from '@radix-ui/react-icons';
import { IconButton } from '@radix-ui/themes';
import { dismissToast, useToasts } from '../state/toasts.js';

export function Toasts() {
  const list = useToasts();
  return (
    <Toast.Provider swipeDirection="right" duration={6000} label="Notification">
      {list.map((t) => (
        <Toast.Root
          key={t.id}
          className={`toast toast-${t.tone}`}
          type={t.tone === 'error' ? 'foreground' : 'background'}
          duration={t.tone === 'error' ? 12_000 : 6000}
          onOpenChange={(open) => !open && dismissToast(t.id)}
          data-testid="toast"
        >
          <div className="toast-body">
            <Toast.Title className="toast-title">{t.title}</Toast.Title>
            {t.description && <Toast.Description className="toast-description">{t.description}</Toast.Description>}
          </div>
          <Toast.Close asChild>
            <IconButton size="1" variant="ghost" color="gray" aria-label="Dismiss">
              <Cross2Icon />
            </IconButton>
          </Toast.Close>
        </Toast.Root>
      ))}
      <Toast.Viewport className="toast-viewport" />
    </Toast.Provider>
  );
}
