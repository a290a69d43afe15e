// The view state, mirrored into the URL query with replaceState (the fragment belongs to sharing).
import { useCallback, useEffect, useState } from 'react';
import { formatViewState, parseViewState, type ViewState } from '../lib/urlState.ts';

export type ViewUpdate = Partial<ViewState> | ((v: ViewState) => Partial<ViewState>);

export function useViewState(): [ViewState, (u: ViewUpdate) => void] {
  const [view, setView] = useState<ViewState>(() => parseViewState(location.search));

  useEffect(() => {
    const q = formatViewState(view);
    if (q !== location.search && !(q === '' && location.search === '')) {
      history.replaceState(history.state, '', `${location.pathname}${q}${location.hash}`);
    }
  }, [view]);

  useEffect(() => {
    const on = () => setView(parseViewState(location.search));
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);

  const update = useCallback((u: ViewUpdate) => {
    setView((v) => {
      const patch = typeof u === 'function' ? u(v) : u;
      let changed = false;
      for (const k of Object.keys(patch) as (keyof ViewState)[]) if (patch[k] !== v[k]) changed = true;
      return changed ? { ...v, ...patch } : v;
    });
  }, []);

  return [view, update];
}
