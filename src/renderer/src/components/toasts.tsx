// Short-lived results of actions ("Copied…", "Revoked…"), announced to screen readers.
import { useSyncExternalStore } from 'react';
import { Toast } from 'radix-ui';
import { Cross2Icon } from '@radix-ui/react-icons';
import { IconButton } from '@radix-ui/themes';

export interface ToastItem {
  id: number;
  title: string;
  description?: string;
  tone: 'success' | 'error' | 'info';
}

let items: readonly ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function toast(item: Omit<ToastItem, 'id'>): void {
  items = [...items.slice(-3), { ...item, id: nextId++ }];
  emit();
}

function dismiss(id: number): void {
  items = items.filter((t) => t.id !== id);
  emit();
}

export function Toasts() {
  const list = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => items,
  );
  return (
    <Toast.Provider swipeDirection="right" duration={6000} label="Notification">
      {list.map((t) => (
        <Toast.Root
          key={t.id}
          className={`toast toast-${t.tone}`}
          type={t.tone === 'error' ? 'foreground' : 'background'}
          duration={t.tone === 'error' ? 12_000 : 6000}
          onOpenChange={(open) => !open && dismiss(t.id)}
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
