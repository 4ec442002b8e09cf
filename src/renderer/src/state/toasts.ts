// Short-lived results of actions ("Copied…", "Revoked…"): the last four, newest last.
import { createStore, useSelector } from './external-store.js';

export interface ToastItem {
  id: number;
  title: string;
  description?: string;
  tone: 'success' | 'error' | 'info';
}

const toasts = createStore<readonly ToastItem[]>([]);
let nextId = 1;

export function toast(item: Omit<ToastItem, 'id'>): void {
  toasts.set([...toasts.get().slice(-3), { ...item, id: nextId++ }]);
}

export function dismissToast(id: number): void {
  toasts.set(toasts.get().filter((t) => t.id !== id));
}

export function useToasts(): readonly ToastItem[] {
  return useSelector(toasts, (list) => list);
}
