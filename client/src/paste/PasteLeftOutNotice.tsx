import { anyLeftOut, type LeftOut } from './leftOut';
import { DismissibleAlert } from '../ui/DismissibleAlert';

const counted = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);

/** What was left out of the text and why, or null when nothing was. */
function leftOutSentence({ comments, images, files }: LeftOut): string | null {
  const what = [
    comments > 0 && counted(comments, 'Word comment', 'Word comments'),
    images > 0 && counted(images, 'image', 'images'),
    files > 0 && counted(files, 'file', 'files'),
  ].filter(Boolean);
  if (what.length === 0) return null;
  const why = [
    images + files > 0 && 'the agreement holds text only.',
    comments > 0 && 'comments are not part of the agreement. To share one, select the words and comment on them here.',
  ].filter((reason): reason is string => typeof reason === 'string');
  const said = why.map((reason, i) => (i === 0 ? reason : reason[0].toUpperCase() + reason.slice(1))).join(' ');
  return `${what.join(' and ')} in what you pasted ${comments + images + files === 1 ? 'was' : 'were'} left out of the text: ${said}`;
}

/** Which tracked changes were accepted, and how to propose them instead; null when there were none. */
function acceptedSentence(trackedChanges: number, suggesting: boolean): string | null {
  if (trackedChanges === 0) return null;
  const how = suggesting ? 'Pasted while suggesting, it is your suggestion.' : 'To propose them to the others as changes, paste while suggesting.';
  return `${counted(trackedChanges, 'tracked change', 'tracked changes')} in what you pasted ${trackedChanges === 1 ? 'was' : 'were'} accepted: the text is as Word shows it with changes accepted. ${how}`;
}

/** Says what a paste held that the text cannot, and why; `suggesting`: the person is in Suggesting mode. */
export function PasteLeftOutNotice({ leftOut, suggesting, onDismiss }: { leftOut: LeftOut; suggesting: boolean; onDismiss: () => void }) {
  if (!anyLeftOut(leftOut)) return null;
  const said = [acceptedSentence(leftOut.trackedChanges, suggesting), leftOutSentence(leftOut)].filter(Boolean).join(' ');
  return (
    <DismissibleAlert testId="paste-left-out" onDismiss={onDismiss}>
      {said}
    </DismissibleAlert>
  );
}
