import type { ReactNode } from 'react';
import type { Editor } from '@tiptap/react';
import { useEditorStateAfterFrame } from './useEditorStateAfterFrame';
import { Icon } from './icons';
import { isMac, mod } from '../ui/shortcuts';

interface ToolState {
  h1: boolean;
  h2: boolean;
  h3: boolean;
  bold: boolean;
  italic: boolean;
  bulletList: boolean;
  orderedList: boolean;
  blockquote: boolean;
  canUndo: boolean;
  canRedo: boolean;
}

function readState(editor: Editor): ToolState {
  return {
    h1: editor.isActive('heading', { level: 1 }),
    h2: editor.isActive('heading', { level: 2 }),
    h3: editor.isActive('heading', { level: 3 }),
    bold: editor.isActive('bold'),
    italic: editor.isActive('italic'),
    bulletList: editor.isActive('bulletList'),
    orderedList: editor.isActive('orderedList'),
    blockquote: editor.isActive('blockquote'),
    canUndo: editor.can().undo(),
    canRedo: editor.can().redo(),
  };
}

interface ButtonProps {
  label: string;
  shortcut?: string;
  active?: boolean;
  disabled: boolean;
  onClick: () => void;
  children: ReactNode;
  toggle?: boolean;
}

function ToolButton({ label, shortcut, active = false, disabled, onClick, children, toggle = true }: ButtonProps) {
  return (
    <button
      type="button"
      className={`tool${active ? ' tool--active' : ''}`}
      aria-label={label}
      aria-pressed={toggle ? active : undefined}
      title={shortcut ? `${label} (${shortcut})` : label}
      disabled={disabled}
      // Keep the text selection in the editor when a button is clicked.
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** The formatting bar, sticky above the text; `children` (inserting blocks) sit in its last group, at hand however far down the caret is. */
export function Toolbar({ editor, editable, children }: { editor: Editor; editable: boolean; children?: ReactNode }) {
  const s = useEditorStateAfterFrame(editor, readState);
  const off = !editable;
  const run = (fn: (chain: ReturnType<Editor['chain']>) => ReturnType<Editor['chain']>) => () => {
    fn(editor.chain().focus()).run();
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" aria-disabled={off}>
      <div className="toolbar__group">
        {([1, 2, 3] as const).map((level) => (
          <ToolButton
            key={level}
            label={`H${level}: heading ${level}`}
            shortcut={`${mod}Alt+${level}`}
            active={s[`h${level}`]}
            disabled={off}
            onClick={run((c) => c.toggleHeading({ level }))}
          >
            <span className="tool__text">H{level}</span>
          </ToolButton>
        ))}
      </div>
      <div className="toolbar__group">
        <ToolButton label="Bold" shortcut={`${mod}B`} active={s.bold} disabled={off} onClick={run((c) => c.toggleBold())}>
          <span className="tool__text tool__text--bold">B</span>
        </ToolButton>
        <ToolButton label="Italic" shortcut={`${mod}I`} active={s.italic} disabled={off} onClick={run((c) => c.toggleItalic())}>
          <span className="tool__text tool__text--italic">I</span>
        </ToolButton>
      </div>
      <div className="toolbar__group">
        <ToolButton label="Bullet list" active={s.bulletList} disabled={off} onClick={run((c) => c.toggleBulletList())}>
          <Icon name="bulletList" />
        </ToolButton>
        <ToolButton label="Numbered list" active={s.orderedList} disabled={off} onClick={run((c) => c.toggleOrderedList())}>
          <Icon name="orderedList" />
        </ToolButton>
        <ToolButton label="Quote" active={s.blockquote} disabled={off} onClick={run((c) => c.toggleBlockquote())}>
          <Icon name="quote" />
        </ToolButton>
      </div>
      <div className="toolbar__group">
        <ToolButton label="Undo your last change" shortcut={`${mod}Z`} toggle={false} disabled={off || !s.canUndo} onClick={run((c) => c.undo())}>
          <Icon name="undo" />
        </ToolButton>
        <ToolButton label="Redo" shortcut={isMac ? '⇧⌘Z' : 'Ctrl+Y'} toggle={false} disabled={off || !s.canRedo} onClick={run((c) => c.redo())}>
          <Icon name="redo" />
        </ToolButton>
      </div>
      {children && <div className="toolbar__group toolbar__group--insert">{children}</div>}
    </div>
  );
}
