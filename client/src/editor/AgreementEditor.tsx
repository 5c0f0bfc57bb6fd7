import { useEffect, useRef, useState } from 'react';
import { EditorContent, useEditor } from '@tiptap/react';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { documentExtensions } from '#shared/schema';
import { CONTENT_FIELD } from '#shared/rooms';
import type { PresenceUser } from '#shared/protocol';
import type { CollabSession } from '../session/openSession';
import { CommentHighlights } from '../comments/highlights';
import { useCommentsController } from '../comments/CommentsContext';
import { SuggestMode } from '../suggestions/suggestMode';
import { useSuggesting, useSuggestionsController } from '../suggestions/SuggestionsContext';
import { renderCaret, renderSelection } from './caret';
import { partneringTemplate } from '#shared/template';
import { Toolbar } from './Toolbar';
import { useEditorStateAfterFrame } from './useEditorStateAfterFrame';
import { templatePrompts } from './templatePrompts';
import { OwnObjectiveGuard, type ForeignEditOutcome } from '../objectives/ownObjectiveGuard';
import { useAgreementAccess, useRecordsRoom } from '../agreement/AgreementContext';
import { InsertObjectiveButton } from '../objectives/InsertObjectiveButton';
import { withObjectiveViews } from '../objectives/objectiveEditor';
import { FactFieldGuard } from '../objectives/factFieldGuard';
import { KeepObjectiveShape } from '../objectives/keepObjectiveShape';
import { DismissibleAlert } from '../ui/DismissibleAlert';
import { pastedHTML } from '../paste/pastedHTML';
import { PasteUndoStep } from '../paste/pasteUndoStep';
import { PasteIntoObjectiveField } from '../paste/intoObjectiveField';
import { FieldWordsAsText } from '../paste/fieldWords';
import { NOTHING_LEFT_OUT, PastedFiles, type LeftOut } from '../paste/leftOut';
import { PasteLeftOutNotice } from '../paste/PasteLeftOutNotice';
import { SizeGuard } from './sizeGuard';
import { NoNativeUndo } from './noNativeUndo';
import { UndoKeepsOthersWords } from './undoKeepsOthersWords';
import { useUndoEndsAtRestore } from './undoEndsAtRestore';
import { ReadingMode, setReadingMode } from './readingMode';
import { CaretBlockRendered } from './caretBlockRendered';
import { useCaretAcrossReload } from './caretAcrossReload';
import { ScrollCaretInFrame } from './scrollCaretInFrame';
import { warmLinkScannerWhenIdle } from './warmLinkScanner';
import { coveredTop, keepScrollPaddingUnderBars } from './stuckBars';
import { formatBytes, messageLimit } from '../session/messageLimit';
import { COMMENT_SHORTCUT } from '../ui/shortcuts';
import './editor.css';

interface Props {
  session: CollabSession;
  user: PresenceUser;
  /** May change the text directly (toolbar, templates, objectives). */
  editable: boolean;
  title: string;
  /** True once the text has been loaded from this device or the server. */
  loaded: boolean;
}

const isEditorEmpty = (editor: { isEmpty: boolean }) => editor.isEmpty;

/** The agreement text: a Tiptap editor bound to the room's Y.Doc, with everyone's carets. */
export function AgreementEditor({ session, user, editable, title, loaded }: Props) {
  const comments = useCommentsController();
  const suggestions = useSuggestionsController();
  // In suggesting mode a legal reviewer types too: their edits become suggestions, never text.
  const suggesting = useSuggesting();
  const typable = editable || suggesting;
  const [refused, setRefused] = useState<{ bytes: number; limit: number } | null>(null);
  const [madeShared, setMadeShared] = useState(false);
  const [foreignEdit, setForeignEdit] = useState<ForeignEditOutcome | null>(null);
  const [shapeRefused, setShapeRefused] = useState(false);
  const [leftOut, setLeftOut] = useState<LeftOut>(NOTHING_LEFT_OUT);
  const { view: agreementView } = useAgreementAccess();
  // Read by the editor on each edit: a role changed while the page is open must not build the editor
  // again (the person lost their place in the text and their selection).
  const me = useRef(agreementView.me);
  me.current = agreementView.me;
  // Read at each paste: a new list of parties must not make a new editor.
  const parties = useRef<string[]>([]);
  parties.current = agreementView.parties.map((p) => p.id);
  const editor = useEditor(
    {
      extensions: [
        ...withObjectiveViews(documentExtensions()),
        Collaboration.configure({ document: session.ydoc, field: CONTENT_FIELD }),
        CollaborationCaret.configure({
          provider: session.provider,
          user,
          render: renderCaret,
          selectionRender: renderSelection,
        }),
        CommentHighlights.configure({ controller: comments, ydoc: session.ydoc }),
        SuggestMode.configure({ controller: suggestions }),
        SizeGuard.configure({ limit: messageLimit, onRefused: (bytes, limit) => setRefused({ bytes, limit }) }),
        CaretBlockRendered,
        ScrollCaretInFrame.configure({ coveredTop }),
        ...templatePrompts(),
        // Listed after it, the own-objective guard checks an edit first (Tiptap runs the plugins of extensions of one
        // priority last to first): an edit over another party's own objective that also cut a shared objective's
        // facts was refused here unseen, with no notice; the guard remakes it around the objective, and this checks that.
        FactFieldGuard.configure({ onRefused: () => setShapeRefused(true) }),
        // Between them: an edit over a selection out of an objective's field (no other party's objective in it) is
        // remade here to keep the objective's fields, before the fact-field guard refuses it whole; one that holds
        // another party's objective the own-objective guard has remade already, keeping the same shape.
        KeepObjectiveShape,
        OwnObjectiveGuard.configure({
          me: () => me.current,
          parties: () => parties.current,
          onMadeShared: () => setMadeShared(true),
          onRefused: setForeignEdit,
        }),
        ReadingMode.configure({ active: !typable }),
        NoNativeUndo,
        UndoKeepsOthersWords,
        PasteUndoStep,
        PasteIntoObjectiveField,
        FieldWordsAsText,
        PastedFiles.configure({ onLeftOut: setLeftOut }),
      ],
      editorProps: {
        transformPastedHTML: (html) => pastedHTML(html, setLeftOut),
        attributes: {
          class: 'document',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': 'Agreement text',
          'aria-description': `Escape then Tab leaves the text. ${COMMENT_SHORTCUT} comments on the selection.`,
          'data-testid': 'agreement-editor',
        },
      },
    },
    [session, comments, suggestions],
  );

  useCaretAcrossReload(editor, session.room, session.provider);
  useUndoEndsAtRestore(editor, useRecordsRoom());

  // Those who may not change the text still reach it by keyboard, to select and comment (readingMode.ts).
  useEffect(() => {
    if (!editor.isDestroyed) setReadingMode(editor.view, !typable);
  }, [editor, typable]);

  useEffect(() => (typable ? warmLinkScannerWhenIdle() : undefined), [typable]);

  // What the browser scrolls to by itself (arrow keys, headings jumped to) lands below the sticky bars.
  const editorBox = useRef<HTMLDivElement>(null);
  useEffect(() => keepScrollPaddingUnderBars(editorBox.current?.querySelector<HTMLElement>(':scope > .toolbar') ?? null), []);

  const isEmpty = useEditorStateAfterFrame(editor, isEditorEmpty);

  const insertOutline = () => {
    editor
      .chain()
      .focus()
      .insertContentAt({ from: 0, to: editor.state.doc.content.size }, partneringTemplate(title).content ?? [])
      .run();
  };

  return (
    <div className="editor" ref={editorBox}>
      <Toolbar editor={editor} editable={editable}>
        {editable && <InsertObjectiveButton editor={editor} />}
      </Toolbar>
      {refused && (
        <DismissibleAlert testId="size-refused" error onDismiss={() => setRefused(null)}>
          That is too large to add in one go: about {formatBytes(refused.bytes)}, and the live session takes at most {formatBytes(refused.limit)} per change.
          Nothing was added; paste it in smaller parts.
        </DismissibleAlert>
      )}
      {madeShared && (
        <DismissibleAlert testId="paste-made-shared" onDismiss={() => setMadeShared(false)}>
          An objective you pasted was another party’s own, or another agreement’s: it is pasted as a shared objective, which every party writes.
        </DismissibleAlert>
      )}
      {foreignEdit === 'nothing-changed' && (
        <DismissibleAlert testId="foreign-objective-refused" onDismiss={() => setForeignEdit(null)}>
          Nothing was changed: that edit reaches into another party’s own objective, which only its negotiators and the broker change. Leave it out of the
          selection, or propose the change in Suggesting mode.
        </DismissibleAlert>
      )}
      {foreignEdit === 'objective-kept' && (
        <DismissibleAlert testId="foreign-objective-kept" onDismiss={() => setForeignEdit(null)}>
          The rest of the selection was changed, but another party’s own objective in it was kept as it was: only its negotiators and the broker change it.
          Propose a change to it in Suggesting mode.
        </DismissibleAlert>
      )}
      {shapeRefused && (
        <DismissibleAlert testId="objective-shape-refused" onDismiss={() => setShapeRefused(false)}>
          Nothing was changed: that edit would have cut into an objective and taken part of it (its owners or indicators) with it. Change an objective’s fields
          one at a time, or select a whole objective to move or remove it.
        </DismissibleAlert>
      )}
      <PasteLeftOutNotice leftOut={leftOut} suggesting={suggesting} onDismiss={() => setLeftOut(NOTHING_LEFT_OUT)} />
      <div className="paper">
        {isEmpty && loaded && (
          <div className="paper__empty" contentEditable={false}>
            {editable ? (
              <>
                <p>This agreement is empty. Start writing, or begin from the parts most partnering agreements cover.</p>
                <button type="button" className="button button--secondary" onClick={insertOutline}>
                  Use the partnering-agreement template
                </button>
              </>
            ) : (
              <p>Nothing has been written yet. Text appears here as the negotiators write it.</p>
            )}
          </div>
        )}
        <EditorContent editor={editor} className="paper__content" />
      </div>
    </div>
  );
}
