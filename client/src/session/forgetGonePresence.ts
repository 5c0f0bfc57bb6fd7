import type { Awareness } from 'y-protocols/awareness';

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/**
 * Forgets the presence clock of each other client once its presence is gone. The stock awareness
 * keeps one for every client id it ever saw, and each page load of anyone in the room is a new id:
 * over a long session every open page kept one per visit of everyone else, and one person
 * reconnecting in a loop under fresh ids grew every page in the room. The server sends one room's
 * presence in order on one socket and only its current states on a reconnect, so no late state of
 * a gone id needs the clock to be refused; back, an id is simply new again.
 */
export function forgetGonePresence(awareness: Awareness): () => void {
  const forget = ({ removed }: AwarenessChange) => {
    for (const clientId of removed) {
      if (clientId !== awareness.clientID && !awareness.states.has(clientId)) awareness.meta.delete(clientId);
    }
  };
  awareness.on('change', forget);
  return () => awareness.off('change', forget);
}
