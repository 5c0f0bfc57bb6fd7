import { useEffect, useState } from 'react';
import type { CommentsController } from './CommentsController';
import type { Editor } from '@tiptap/core';
import { CommentIcon } from './icons';
import { COMMENT_SHORTCUT } from '../ui/shortcuts';

interface Place {
  top: number;
  left: number;
}

/**
 * A "Comment" button beside the text while a passage is selected: in the page's right
 * margin, level with the selection. Works in a read-only editor too (legal reviewers comment).
 */
export function SelectionCommentButton({ controller, editor, onComment }: { controller: CommentsController; editor: Editor | null; onComment: () => void }) {
  const [place, setPlace] = useState<Place | null>(null);

  useEffect(() => {
    if (!editor) return;
    let frame = 0;
    const measure = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const range = controller.selectedRange();
        if (!range || editor.isDestroyed) return setPlace(null);
        try {
          const view = editor.view;
          const start = view.coordsAtPos(range.from);
          const page = (view.dom.closest('.paper') ?? view.dom).getBoundingClientRect();
          // Out of sight (scrolled under the toolbar or below the window): no button.
          if (start.top < page.top || start.top > window.innerHeight - 20) return setPlace(null);
          setPlace({ top: start.top - 6, left: Math.min(page.right - 52, window.innerWidth - 48) });
        } catch {
          setPlace(null);
        }
      });
    };
    editor.on('selectionUpdate', measure);
    editor.on('transaction', measure);
    document.addEventListener('selectionchange', measure);
    window.addEventListener('scroll', measure, true);
    window.addEventListener('resize', measure);
    return () => {
      cancelAnimationFrame(frame);
      editor.off('selectionUpdate', measure);
      editor.off('transaction', measure);
      document.removeEventListener('selectionchange', measure);
      window.removeEventListener('scroll', measure, true);
      window.removeEventListener('resize', measure);
    };
  }, [controller, editor]);

  if (!place) return null;
  return (
    <button
      type="button"
      className="selection-comment"
      data-testid="comment-selection"
      style={{ top: place.top, left: place.left }}
      aria-label="Comment"
      title={`Comment on the selected passage (${COMMENT_SHORTCUT})`}
      // Keep the selection: the passage is read when the button is clicked.
      onMouseDown={(e) => e.preventDefault()}
      onClick={onComment}
    >
      <CommentIcon name="addComment" size={18} />
    </button>
  );
}
