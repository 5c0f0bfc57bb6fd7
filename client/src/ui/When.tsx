const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const toTheSecond = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** The app's one way of writing a moment: "Dec 1, 2026, 4:34 AM" in the reader's own locale ("4:34:12 AM" with seconds). */
export function formatDateTime(iso: string, { seconds = false }: { seconds?: boolean } = {}): string {
  return (seconds ? toTheSecond : dateAndTime).format(new Date(iso));
}

/**
 * The moments of a list that read the same as another one without seconds: they are shown to
 * the second so a reader can tell them apart (two snapshots in one minute), the rest stay short.
 */
export function needSeconds(isos: string[]): Set<string> {
  const byMinute = new Map<string, string[]>();
  for (const iso of isos) {
    const shown = formatDateTime(iso);
    byMinute.set(shown, [...(byMinute.get(shown) ?? []), iso]);
  }
  return new Set([...byMinute.values()].filter((same) => new Set(same).size > 1).flat());
}

/** A date and time as one unbroken piece: a narrow column wraps before it, never inside it ("4:34 / AM"). */
export function When({ iso, seconds = false }: { iso: string; seconds?: boolean }) {
  return (
    <time className="when" dateTime={iso}>
      {formatDateTime(iso, { seconds })}
    </time>
  );
}
