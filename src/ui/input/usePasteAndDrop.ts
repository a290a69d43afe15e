// Paste anywhere on the page (skipped when a text field has focus: the user is editing there) and
// drop one or many files anywhere: they are parts of one capture.
import { useEffect, useState } from 'react';
import type { InputFile } from '../hooks/useAnalysis.ts';
import { inTextField, readFiles } from './readFiles.ts';

export function usePasteAndDrop(onInputs: (inputs: InputFile[], how: 'paste' | 'drop') => void): boolean {
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const onPaste = async (e: ClipboardEvent) => {
      if (inTextField(e.target) || inTextField(document.activeElement)) return;
      const dt = e.clipboardData;
      if (!dt) return;
      const files = Array.from(dt.files ?? []);
      if (files.length > 0) {
        e.preventDefault();
        onInputs(await readFiles(files), 'paste');
        return;
      }
      const text = dt.getData('text/plain');
      if (!text.trim()) return;
      e.preventDefault();
      onInputs([{ name: 'paste', text }], 'paste');
    };
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
    const onEnter = (e: DragEvent) => { if (hasFiles(e)) { depth++; setDragging(true); } };
    const onLeave = (e: DragEvent) => { if (hasFiles(e) && --depth <= 0) { depth = 0; setDragging(false); } };
    const onOver = (e: DragEvent) => { if (hasFiles(e)) { e.preventDefault(); e.dataTransfer!.dropEffect = 'copy'; } };
    const onDrop = async (e: DragEvent) => {
      depth = 0;
      setDragging(false);
      if (!e.dataTransfer) return;
      const files = Array.from(e.dataTransfer.files);
      if (files.length > 0) {
        e.preventDefault();
        onInputs(await readFiles(files), 'drop');
        return;
      }
      const text = e.dataTransfer.getData('text/plain');
      if (text.trim() && !inTextField(e.target)) { e.preventDefault(); onInputs([{ name: 'paste', text }], 'drop'); }
    };
    document.addEventListener('paste', onPaste);
    addEventListener('dragenter', onEnter);
    addEventListener('dragleave', onLeave);
    addEventListener('dragover', onOver);
    addEventListener('drop', onDrop);
    return () => {
      document.removeEventListener('paste', onPaste);
      removeEventListener('dragenter', onEnter);
      removeEventListener('dragleave', onLeave);
      removeEventListener('dragover', onOver);
      removeEventListener('drop', onDrop);
    };
  }, [onInputs]);

  return dragging;
}
