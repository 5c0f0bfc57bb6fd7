import * as Y from 'yjs';
import { causalPieces } from '#shared/causalPieces';

/** A dedicated worker: merges and cuts updates (piecewiseSync.ts) off the page's main thread. */
interface Request {
  id: number;
  updates: Uint8Array[];
  maxStructs: number;
}
interface Scope {
  onmessage: ((event: MessageEvent<Request>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}
const scope = self as unknown as Scope;

scope.onmessage = ({ data: { id, updates, maxStructs } }) => {
  try {
    // Several records of this device's copy are cut as one update: its pieces then come in causal order across them.
    const update = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
    const pieces = causalPieces(update, maxStructs);
    scope.postMessage({ id, pieces }, [...new Set(pieces.map((piece) => piece.buffer as ArrayBuffer))]);
  } catch (error) {
    scope.postMessage({ id, error: String(error) }, []);
  }
};
