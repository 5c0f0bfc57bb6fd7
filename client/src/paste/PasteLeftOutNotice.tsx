import { anyLeftOut, type LeftOut } from './leftOut';

const counted = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);

/** Says what a paste held that the text cannot, and why. */
export function PasteLeftOutNotice({ leftOut, onDismiss }: { leftOut: LeftOut; onDismiss: () => void }) {
  if (!anyLeftOut(leftOut)) return null;
  const { comments, images, files } = leftOut;
  const what = [
    comments > 0 && counted(comments, 'Word comment', 'Word comments'),
    images > 0 && counted(images, 'image', 'images'),
    files > 0 && counted(files, 'file', 'files'),
  ].filter(Boolean);
  const why = [
    images + files > 0 && 'the agreement holds text only.',
    comments > 0 && 'comments are not part of the agreement. To share one, select the words and comment on them here.',
  ].filter((reason): reason is string => typeof reason === 'string');
  const said = why.map((reason, i) => (i === 0 ? reason : reason[0].toUpperCase() + reason.slice(1))).join(' ');
  return (
    <div className="banner" role="alert" data-testid="paste-left-out">
      {what.join(' and ')} in what you pasted {comments + images + files === 1 ? 'was' : 'were'} left out of the text: {said}{' '}
      <button type="button" className="button button--ghost button--small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
