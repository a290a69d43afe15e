import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { applyTheme } from './hooks/useTheme.ts';
import './app.css';

// Set the theme before the first paint so a dark-mode user never sees a white flash.
try {
  const t = localStorage.getItem('procscope.theme');
  applyTheme(t === 'light' || t === 'dark' ? t : 'system');
} catch {
  applyTheme('system');
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Offline after the first visit (dist/sw.js, generated at build time). Only in a build served
// over http(s); the dev server has no sw.js.
if (import.meta.env.PROD && 'serviceWorker' in navigator && location.protocol.startsWith('http')) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch((e: unknown) => console.warn('offline cache unavailable:', e));
  });
}
