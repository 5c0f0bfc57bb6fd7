import { EditorState, type Plugin, type PluginView, type Transaction } from '@tiptap/pm/state';
import type { Schema } from '@tiptap/pm/model';
import type { EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

/**
 * Just enough of ProseMirror's EditorView for the Yjs binding's plugins to run in Node
 * (no DOM): it applies transactions, runs the plugins' view updates like the real view does,
 * and keeps every dispatched transaction for the test to inspect.
 */
export class HeadlessView {
  state: EditorState;
  readonly transactions: Transaction[] = [];
  readonly dom = { addEventListener() {}, removeEventListener() {} };
  docView: object | null = {};
  isDestroyed = false;
  focused = false;
  private readonly views: PluginView[] = [];

  constructor(schema: Schema, plugins: Plugin[]) {
    this.state = EditorState.create({ schema, plugins });
    for (const plugin of plugins) {
      const view = plugin.spec.view?.(this as unknown as EditorView);
      if (view) this.views.push(view);
    }
  }

  hasFocus(): boolean {
    return this.focused;
  }

  dispatch(tr: Transaction): void {
    const previous = this.state;
    this.transactions.push(tr);
    this.state = previous.apply(tr);
    for (const view of this.views) view.update?.(this as unknown as EditorView, previous);
  }

  /** As ProseMirror's view does: plugin views are destroyed and dropped, so a late dispatch (a timer, an awareness event) reaches none of them. */
  destroy(): void {
    this.isDestroyed = true;
    this.docView = null;
    for (let view = this.views.pop(); view; view = this.views.pop()) view.destroy?.();
  }
}

/** Whether the binding still shows only the first blocks of a long text (the rest follows a slice per task). */
export const loadingRest = (view: HeadlessView): boolean =>
  Boolean((ySyncPluginKey.getState(view.state) as { binding: { isLoadingRest: boolean } }).binding.isLoadingRest);

/** A document of `count` paragraphs, "Clause 0 of the agreement." and on, as ProseMirror JSON. */
export const numberedClauses = (count: number) => ({
  type: 'doc',
  content: Array.from({ length: count }, (_, i) => ({ type: 'paragraph', content: [{ type: 'text', text: `Clause ${i} of the agreement.` }] })),
});
