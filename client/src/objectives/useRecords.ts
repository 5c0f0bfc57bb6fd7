import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import type { ServerRoom } from '../session/useServerRoom';

/** Follows a top-level Y.Map or Y.Array of a server-written room as plain JSON. */
function useRecordsValue<T>(records: ServerRoom | null, read: (doc: Y.Doc) => Y.Map<unknown> | Y.Array<unknown>, fallback: T): T {
  const [value, setValue] = useState<T>(fallback);
  useEffect(() => {
    if (!records) return;
    const type = read(records.doc);
    const update = () => setValue(type.toJSON() as T);
    update();
    type.observe(update);
    return () => type.unobserve(update);
    // `read` picks a fixed type by name: only the room itself can change.
  }, [records?.doc]);
  return value;
}

export function useRecordsMap<T>(records: ServerRoom | null, key: string): Record<string, T> {
  return useRecordsValue<Record<string, T>>(records, (doc) => doc.getMap(key), {});
}

export function useRecordsArray<T>(records: ServerRoom | null, key: string): T[] {
  return useRecordsValue<T[]>(records, (doc) => doc.getArray(key), []);
}
