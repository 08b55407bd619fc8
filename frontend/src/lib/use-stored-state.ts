import { useCallback, useState } from 'react';

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

/**
 * State kept in localStorage under `key` (per browser profile), like the theme. A change of key
 * reads that key's value; unreadable or missing values fall back to `fallback`.
 */
export function useStoredState<T>(key: string, fallback: T): [T, (next: T) => void] {
  const [state, setState] = useState<{ key: string; value: T }>(() => ({
    key,
    value: read(key, fallback),
  }));
  const value = state.key === key ? state.value : read(key, fallback);
  const set = useCallback(
    (next: T) => {
      setState({ key, value: next });
      try {
        localStorage.setItem(key, JSON.stringify(next));
      } catch {
        // Private mode or a full quota: the choice lasts for this page.
      }
    },
    [key],
  );
  return [value, set];
}
