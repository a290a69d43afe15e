// What every view reads: the analysis, the snapshot on screen, lookups derived once, and the
// navigation actions (select a PID, switch view, filter by state).
import { createContext, useContext } from 'react';
import type { Analysis, Finding } from '../model/analysis.ts';
import type { Process, Snapshot } from '../model/snapshot.ts';
import type { InputLines } from './lib/provenance.ts';
import type { OverviewFacts } from './lib/overviewFacts.ts';
import type { ViewName, ViewState } from './lib/urlState.ts';
import type { ViewUpdate } from './hooks/useViewState.ts';

export interface Data {
  analysis: Analysis;
  snapshot: Snapshot;
  byPid: Map<number, Process>;
  /** Findings citing each PID (in `pids` or in evidence). */
  findingsByPid: Map<number, Finding[]>;
  match: ((p: Process) => boolean) | null;
  lines: InputLines;
  /** Findings and counts are in; the process list is still being received (big inputs). */
  partial: boolean;
  facts: OverviewFacts | undefined;
  analyseMs: number | null;
}

export interface Nav {
  view: ViewState;
  update(u: ViewUpdate): void;
  /** Select a process everywhere; `open` shows its details. */
  select(pid: number | null, opts?: { open?: boolean; snap?: number; view?: ViewName }): void;
  setStateFilter(state: string | null): void;
}

/** The active list view (tree or table) hands these to the keyboard handler. */
export interface ListKeys {
  move(delta: number): void;
  open(): void;
}

export const DataContext = createContext<Data | null>(null);
export const NavContext = createContext<Nav | null>(null);
export const ListKeysContext = createContext<{ current: ListKeys | null }>({ current: null });

export function useData(): Data {
  const d = useContext(DataContext);
  if (!d) throw new Error('useData outside an analysis');
  return d;
}

export function useNav(): Nav {
  const n = useContext(NavContext);
  if (!n) throw new Error('useNav outside the app');
  return n;
}
