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
