// Light and dark, following the system unless the user picked one (kept in localStorage).
import { useCallback, useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'procscope.theme';

function systemDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    if (v === 'light' || v === 'dark' || v === 'system') return v;
  } catch { /* storage disabled: follow the system */ }
  return 'system';
}

export function applyTheme(choice: ThemeChoice): 'light' | 'dark' {
  const resolved = choice === 'system' ? (systemDark() ? 'dark' : 'light') : choice;
  document.documentElement.dataset.theme = resolved;
  return resolved;
}

export function useTheme(): { choice: ThemeChoice; resolved: 'light' | 'dark'; cycle(): void } {
  const [choice, setChoice] = useState<ThemeChoice>(stored);
  const [resolved, setResolved] = useState<'light' | 'dark'>(() => applyTheme(stored()));

  useEffect(() => {
    setResolved(applyTheme(choice));
    if (choice !== 'system' || typeof matchMedia !== 'function') return;
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const on = () => setResolved(applyTheme('system'));
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [choice]);

  const cycle = useCallback(() => {
    setChoice((c) => {
      // Every click changes what is on screen: system → the opposite → the same as system → system.
      const opposite: ThemeChoice = systemDark() ? 'light' : 'dark';
      const same: ThemeChoice = opposite === 'light' ? 'dark' : 'light';
      const next: ThemeChoice = c === 'system' ? opposite : c === opposite ? same : 'system';
      try { localStorage.setItem(KEY, next); } catch { /* ignore */ }
      return next;
    });
  }, []);

  return { choice, resolved, cycle };
}
