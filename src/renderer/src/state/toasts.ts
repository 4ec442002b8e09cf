// Short-lived results of actions ("Copied…", "Revoked…"): the last four, newest last.
import { createStore, useSelector } from './external-store.js';

export interface ToastItem {
  id: number;
  title: string;
  description?: string;
  tone: 'success' | 'error' | 'info';
  /** How long it stays (default: 6 s, errors 12 s). */
  durationMs?: number;
  /** One button, e.g. Undo; `altText` tells a screen reader how to do it without the toast. */
  action?: { label: string; altText: string; run: () => void };
}

const toasts = createStore<readonly ToastItem[]>([]);
let nextId = 1;

/** Shows a toast; returns its id (for dismissToast). */
export function toast(item: Omit<ToastItem, 'id'>): number {
  const id = nextId++;
  toasts.set([...toasts.get().slice(-3), { ...item, id }]);
  return id;
}

export function dismissToast(id: number): void {
  toasts.set(toasts.get().filter((t) => t.id !== id));
}

export function useToasts(): readonly ToastItem[] {
  return useSelector(toasts, (list) => list);
}
