import type { Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

/**
 * Whether a transaction shows a change of the shared text (someone else's words, a load, an undo
 * through Yjs) rather than one this person makes: the editor's guards let those through, since
 * what is already in the shared text cannot be refused here.
 */
export function fromSharedText(tr: Pick<Transaction, 'getMeta'>): boolean {
  return (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
}
