import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { AgendaItem } from '#shared/sessions';
import { scrollToBlock } from '../../editor/scrollToBlock';
import { itemElement } from './scrollToItem';

/**
 * Whether someone follows is small UI state, not a statement: it travels in presence under
 * `ui` (the one field the server's presence check keeps for client state), as `ui.follow`.
 */
const UI_FIELD = 'ui';

function followsIn(state: unknown): boolean {
  const ui = (state as Record<string, unknown> | null)?.[UI_FIELD] as { follow?: unknown } | undefined;
  return ui?.follow !== false;
}

/** How long to keep looking for an item's place while the text is still arriving. */
const FIND_FOR_MS = 5000;

/**
 * "Follow the broker": on by default; while on, every move to another item scrolls this
 * view to it. The choice is shown to others through presence so the broker sees who follows.
 */
export function useFollow(awareness: Awareness | null, item: AgendaItem | null): [boolean, (on: boolean) => void] {
  const [following, setFollowing] = useState(true);

  useEffect(() => {
    if (!awareness) return;
    const ui = (awareness.getLocalState()?.[UI_FIELD] ?? {}) as Record<string, unknown>;
    awareness.setLocalStateField(UI_FIELD, { ...ui, follow: following });
  }, [awareness, following]);

  useEffect(() => {
    if (!following || !item) return;
    const started = Date.now();
    let frame = 0;
    let stopScrolling = () => {};
    const attempt = () => {
      const target = itemElement(item);
      if (target) stopScrolling = scrollToBlock(() => itemElement(item), 'center');
      else if (Date.now() - started < FIND_FOR_MS) frame = requestAnimationFrame(attempt);
    };
    attempt();
    return () => {
      cancelAnimationFrame(frame);
      stopScrolling();
    };
    // A new item, or following switched back on: scroll once; edits to the item's fields do not pull anyone.
  }, [following, item?.id]);

  return [following, setFollowing];
}

/** Names of people whose presence says they follow the broker, one per person. */
export function useFollowers(awareness: Awareness | null): { personId: string; name: string; following: boolean }[] {
  const [list, setList] = useState<{ personId: string; name: string; following: boolean }[]>([]);
  useEffect(() => {
    if (!awareness) return;
    const update = () => {
      const byPerson = new Map<string, { personId: string; name: string; following: boolean }>();
      for (const state of awareness.getStates().values()) {
        const user = (state as { user?: { personId?: unknown; name?: unknown; role?: unknown } }).user;
        if (typeof user?.personId !== 'string' || user.role === 'broker') continue;
        const following = followsIn(state);
        const known = byPerson.get(user.personId);
        byPerson.set(user.personId, { personId: user.personId, name: String(user.name ?? ''), following: following || Boolean(known?.following) });
      }
      setList([...byPerson.values()].sort((a, b) => a.name.localeCompare(b.name)));
    };
    awareness.on('change', update);
    update();
    return () => awareness.off('change', update);
  }, [awareness]);
  return list;
}
