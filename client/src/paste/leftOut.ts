import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';

/** What a paste held that the text cannot: the person is told, since the text shows no trace of it. */
export interface LeftOut {
  /** Word comments on what was copied. */
  comments: number;
  /** Images, in the copied HTML or pasted as files. */
  images: number;
  /** Other files pasted (a document copied in the file manager). */
  files: number;
  /** Word's tracked changes, accepted: the words deleted were left out. */
  trackedChanges: number;
}

export const NOTHING_LEFT_OUT: LeftOut = { comments: 0, images: 0, files: 0, trackedChanges: 0 };

/** Whether anything was left out. */
export const anyLeftOut = (leftOut: LeftOut) => leftOut.comments + leftOut.images + leftOut.files + leftOut.trackedChanges > 0;

/** Images in clipboard HTML (Word's drawings come as an <img> beside their VML, which no browser shows). */
export const imagesIn = (html: string) => (html.match(/<img\b/gi) ?? []).length;

/**
 * A paste of files only (a screenshot, a picture or a document copied in the file manager):
 * ProseMirror finds nothing to insert and does nothing, without a word; the person is told instead.
 * Each paste first clears what the one before left out (the notice is about the last paste only);
 * the paste's own HTML is read after this and says again what it leaves out.
 */
export const PastedFiles = Extension.create<{ onLeftOut: (leftOut: LeftOut) => void }>({
  name: 'pastedFiles',
  addOptions() {
    return { onLeftOut: () => {} };
  },
  addProseMirrorPlugins() {
    const { onLeftOut } = this.options;
    return [
      new Plugin({
        key: new PluginKey('pastedFiles'),
        props: {
          handleDOMEvents: {
            paste() {
              onLeftOut(NOTHING_LEFT_OUT);
              return false;
            },
          },
          handlePaste(_view, event, slice) {
            const files = Array.from(event.clipboardData?.files ?? []);
            if (slice.size > 0 || files.length === 0) return false;
            const images = files.filter((file) => file.type.startsWith('image/')).length;
            onLeftOut({ ...NOTHING_LEFT_OUT, images, files: files.length - images });
            return true;
          },
        },
      }),
    ];
  },
});
