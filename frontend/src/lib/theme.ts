import { useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';

const THEME_KEY = 'backendify.theme';
const listeners = new Set<() => void>();
const media =
  typeof window !== 'undefined' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

function storedTheme(): Theme | null {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null;
  }
}

export function getTheme(): Theme {
  return storedTheme() ?? (media?.matches ? 'dark' : 'light');
}

function apply(): void {
  document.documentElement.classList.toggle('dark', getTheme() === 'dark');
  listeners.forEach((l) => l());
}

export function setTheme(theme: Theme): void {
  localStorage.setItem(THEME_KEY, theme);
  apply();
}

export function initTheme(): void {
  apply();
  // Follow the OS setting until the user picks a theme explicitly.
  media?.addEventListener('change', () => {
    if (!storedTheme()) apply();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useTheme(): [Theme, (t: Theme) => void] {
  const theme = useSyncExternalStore(subscribe, getTheme, () => 'light' as Theme);
  return [theme, setTheme];
}
