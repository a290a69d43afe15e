// The share feature as the app shell loads it (lazily, via import.meta.glob in App.tsx).
export { ShareDialog, type ShareDialogProps } from './ShareDialog.tsx';
export { openSharedFromLocation, openShared, showShareError, type Opened, type OpenOptions } from './open.tsx';
