import { stateClass, stateInfo } from '../lib/states.ts';

/** The one-letter state in its colour, with the meaning on hover. */
export function StateBadge({ state, stat, small }: { state: string | null | undefined; stat?: string | null; small?: boolean }) {
  const info = stateInfo(state);
  return (
    <span className={`state ${stateClass(state)}${small ? ' small' : ''}`} title={`${info.letter} ${info.name}: ${info.means}${stat && stat !== state ? ` (STAT ${stat})` : ''}`}>
      {stat && !small ? stat : info.letter}
    </span>
  );
}
