import { formatDate } from './format';

/** A date and time as one unbroken piece: a narrow column wraps before it, never inside it ("4:34 / AM"). */
export function When({ iso }: { iso: string }) {
  return (
    <time className="history-when" dateTime={iso}>
      {formatDate(iso)}
    </time>
  );
}
