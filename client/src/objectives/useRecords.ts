import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import type { ServerRoom } from '../session/useServerRoom';

type RecordsType = Y.Map<unknown> | Y.Array<unknown>;

/**
 * One plain-JSON copy of a shared type for every view that follows it: the 20 stance bars of a long
 * agreement read the same two maps, which were copied 40 times on each change (and on the room's
 * first sync, while the page opens). The copy is made again only when the type changes.
 */
interface SharedCopy {
  value: unknown;
  followers: Set<(value: unknown) => void>;
  changed: () => void;
}

const copies = new WeakMap<RecordsType, SharedCopy>();

export function followRecords(type: RecordsType, onChange: (value: unknown) => void): { value: unknown; stop: () => void } {
  let copy = copies.get(type);
  if (!copy) {
    const made: SharedCopy = {
      value: type.toJSON(),
      followers: new Set(),
      changed: () => {
        made.value = type.toJSON();
        for (const follower of made.followers) follower(made.value);
      },
    };
    type.observe(made.changed);
    copies.set(type, made);
    copy = made;
  }
  const shared = copy;
  shared.followers.add(onChange);
  return {
    value: shared.value,
    stop: () => {
      shared.followers.delete(onChange);
      if (shared.followers.size > 0) return;
      // Nobody follows it: the next follower copies it afresh.
      type.unobserve(shared.changed);
      copies.delete(type);
    },
  };
}

/** Follows a top-level Y.Map or Y.Array of a server-written room as plain JSON. */
function useRecordsValue<T>(records: ServerRoom | null, read: (doc: Y.Doc) => RecordsType, fallback: T): T {
  const [value, setValue] = useState<T>(fallback);
  useEffect(() => {
    if (!records) return;
    const { value: now, stop } = followRecords(read(records.doc), (next) => setValue(next as T));
    setValue(now as T);
    return stop;
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
