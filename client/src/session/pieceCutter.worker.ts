import { causalPieces } from '#shared/causalPieces';

/** A dedicated worker: cuts one update (piecewiseSync.ts) off the page's main thread. */
interface Scope {
  onmessage: ((event: MessageEvent<{ update: Uint8Array; maxStructs: number }>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}
const scope = self as unknown as Scope;

scope.onmessage = ({ data }) => {
  const pieces = causalPieces(data.update, data.maxStructs);
  scope.postMessage(pieces, [...new Set(pieces.map((piece) => piece.buffer as ArrayBuffer))]);
};
