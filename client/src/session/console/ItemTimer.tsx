import { itemSpentMs, timerTone, type AgendaItem, type LiveSession } from '#shared/sessions';
import { clock } from './useTick';

const TONE_LABELS = { ok: 'on time', near: 'nearly out of time', over: 'over time' } as const;

/** Time spent on the current item against its plan: amber near the end, red over. */
export function ItemTimer({ session, item, now }: { session: LiveSession; item: AgendaItem; now: number }) {
  const spent = itemSpentMs(session, item.id, now);
  const tone = timerTone(spent, item.plannedMinutes);
  return (
    <span
      className={`item-timer item-timer--${tone}`}
      data-testid="item-timer"
      data-tone={tone}
      role="timer"
      aria-label={`${clock(spent)} of ${item.plannedMinutes} minutes, ${TONE_LABELS[tone]}`}
    >
      {clock(spent)} <span className="item-timer__plan">/ {item.plannedMinutes}:00</span>
    </span>
  );
}
