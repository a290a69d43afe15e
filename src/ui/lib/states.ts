// What each kernel task state means to someone reading a snapshot in an incident, and how alarming
// it is. The colour classes map to CSS variables (--st-D …) so dark and light themes agree.

export type Tone = 'alarm' | 'warn' | 'busy' | 'calm' | 'idle' | 'gone';

export interface StateInfo {
  letter: string;
  name: string;
  /** One line for the legend and tooltips. */
  means: string;
  tone: Tone;
  /** W (paging) left in 2.6.0; X (dead) is only seen for an instant. */
  unexpected?: boolean;
}

export const STATE_INFO: Record<string, StateInfo> = {
  R: { letter: 'R', name: 'running', means: 'on a CPU or waiting for one', tone: 'busy' },
  S: { letter: 'S', name: 'sleeping', means: 'interruptible wait (normal idle)', tone: 'calm' },
  D: { letter: 'D', name: 'uninterruptible', means: 'waiting in the kernel, usually on I/O; counts in load; kill -9 does not end it until the wait ends', tone: 'alarm' },
  T: { letter: 'T', name: 'stopped', means: 'stopped by a signal (SIGSTOP, Ctrl-Z)', tone: 'warn' },
  t: { letter: 't', name: 'traced', means: 'stopped by a debugger or strace', tone: 'warn' },
  Z: { letter: 'Z', name: 'zombie', means: 'exited, not yet reaped by its parent', tone: 'alarm' },
  X: { letter: 'X', name: 'dead', means: 'being torn down; should never be seen', tone: 'gone', unexpected: true },
  I: { letter: 'I', name: 'idle', means: 'idle kernel thread (kernel 4.14+); not load', tone: 'idle' },
  W: { letter: 'W', name: 'paging', means: 'paging (removed in Linux 2.6)', tone: 'gone', unexpected: true },
  P: { letter: 'P', name: 'parked', means: 'parked kernel thread (CPU hotplug)', tone: 'idle' },
};

export const STATE_ORDER = ['D', 'Z', 'R', 'T', 't', 'S', 'I', 'P', 'X', 'W'] as const;

export function stateInfo(letter: string | null | undefined): StateInfo {
  if (letter && STATE_INFO[letter]) return STATE_INFO[letter];
  return { letter: '?', name: 'unknown', means: 'the input did not show a state', tone: 'idle' };
}

/** CSS class for a state letter; `t` and `T` must not collide in case-insensitive contexts. */
export function stateClass(letter: string | null | undefined): string {
  if (!letter || !STATE_INFO[letter]) return 'st-unknown';
  return letter === 't' ? 'st-tt' : `st-${letter}`;
}

/** Whether a state is worth drawing the eye to in a tree or table row. */
export function isProblemState(letter: string | null | undefined): boolean {
  return letter === 'D' || letter === 'Z' || letter === 'T' || letter === 't' || letter === 'X' || letter === 'W';
}

/** The state diagram's legend: what each colour means (shared by the view and its export). */
export const STATE_LEGEND: { tone: Tone; text: string; letters: string }[] = [
  { tone: 'alarm', text: 'alarming: stuck in the kernel or never reaped', letters: 'D Z' },
  { tone: 'warn', text: 'stopped by a signal or a tracer', letters: 'T t' },
  { tone: 'busy', text: 'running or runnable', letters: 'R' },
  { tone: 'calm', text: 'sleeping normally', letters: 'S' },
  { tone: 'idle', text: 'idle kernel threads, not load', letters: 'I P' },
  { tone: 'gone', text: 'not expected on modern kernels', letters: 'X W' },
];
