import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';

/**
 * Keeps this client's presence under the doc's client id. Yjs gives the doc a new id when a remote
 * update carries its own (it takes that for another client writing under it), and the awareness
 * keeps the old one, while the stock provider speaks presence under the doc's: its disconnect threw
 * a TypeError (going offline, and destroy() stopped half-way, so leaving by the home link blanked
 * the page), each reconnect threw before announcing the person, and a close removed their own
 * presence. The presence moves to the new id at once: the old one is told gone, the state goes on.
 */
export function presenceFollowsClientId(doc: Y.Doc, awareness: Awareness): () => void {
  const follow = () => {
    if (awareness.clientID === doc.clientID) return;
    const state = awareness.getLocalState();
    awareness.setLocalState(null);
    awareness.clientID = doc.clientID;
    if (state !== null) awareness.setLocalState(state);
  };
  doc.on('afterAllTransactions', follow);
  return () => doc.off('afterAllTransactions', follow);
}
