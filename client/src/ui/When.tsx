const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The app's one way of writing a moment: "Dec 1, 2026, 4:34 AM" in the reader's own locale. */
export function formatDateTime(iso: string): string {
  return dateAndTime.format(new Date(iso));
}

/** A date and time as one unbroken piece: a narrow column wraps before it, never inside it ("4:34 / AM"). */
export function When({ iso }: { iso: string }) {
  return (
    <time className="when" dateTime={iso}>
      {formatDateTime(iso)}
    </time>
  );
}
