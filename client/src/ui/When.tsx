const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A date and time as one unbroken piece: a narrow column wraps before it, never inside it ("4:34 / AM"). */
export function When({ iso }: { iso: string }) {
  return (
    <time className="when" dateTime={iso}>
      {dateAndTime.format(new Date(iso))}
    </time>
  );
}
