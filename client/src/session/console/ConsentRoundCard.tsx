import { useRef, type FormEvent } from 'react';
import { STANCE_LABELS } from '#shared/objectives';
import { can } from '#shared/permissions';
import { latestAnswers, roundTextChangedLine, type ConsentRound, type LiveSession, type RoundAnswerValue } from '#shared/sessions';
import { useAgreementAccess } from '../../agreement/AgreementContext';
import { sessionApi } from './sessionApi';
import { useCommand } from './useCommand';
import { useHoldPageOpen } from '../../ui/leaveGuard';
import { useObjectiveHash } from '../../objectives/useObjectiveHash';
import { useRoundAnswer, type ChosenAnswer, type RoundAnswerDraft } from './useRoundAnswer';
import { FormError } from '../../ui/FormError';

const ANSWERS: RoundAnswerValue[] = ['agree', 'reservations', 'object'];

/** A consent round: each party's answer as it arrives; a party's negotiators answer for it; a broker closes it. */
export function ConsentRoundCard({ session, round }: { session: LiveSession; round: ConsentRound }) {
  const { view, token } = useAgreementAccess();
  const { busy, error, run } = useCommand();
  const me = view.me;
  const open = round.status === 'open';
  const answers = latestAnswers(round);
  const liveHash = useObjectiveHash(round.objectiveId);
  const mine = useRoundAnswer(session, round, liveHash);

  return (
    <section
      className={`round card ${open ? 'round--open' : 'round--closed'}`}
      data-testid="consent-round"
      data-status={round.status}
      aria-label="Consent round"
    >
      <h2 className="round__title">
        {open ? 'Consent round' : 'Round closed'}: “{round.objectiveTitle}”
      </h2>
      <ul className="round__answers">
        {view.parties.map((party) => {
          const result = round.results?.find((r) => r.party === party.id);
          const answer = answers.get(party.id);
          const value = result?.answer ?? answer?.answer ?? 'waiting';
          const why = result?.reason ?? answer?.reason;
          return (
            <li key={party.id} data-testid={`round-answer-${party.id}`} data-answer={value}>
              <span className="party-chip__swatch" style={{ backgroundColor: party.color }} aria-hidden="true" /> <strong>{party.name}</strong>:{' '}
              {value === 'waiting' ? 'waiting…' : value === 'no_answer' ? 'No answer' : STANCE_LABELS[value]}
              {why && <span className="round__reason"> ({why})</span>}
              {answer && <span className="round__by"> · {answer.by.name}</span>}
            </li>
          );
        })}
      </ul>
      {!open && round.textAtClose && <p className="round__changed">{roundTextChangedLine(round.textAtClose)}</p>}
      {open && <OpenRound round={round} liveHash={liveHash} mine={mine} />}
      {/* Always there, so a screen reader reads the note that appears in it as the round closes. */}
      <div role="status">
        {open ? <OwnAnswer round={round} mine={mine} /> : mine.chosen && <UnsentAnswer round={round} chosen={mine.chosen} reason={mine.reason} mine={mine} />}
      </div>
      {open && can(me.role, 'runRound') && (
        <button
          type="button"
          className="button button--primary button--small"
          disabled={busy}
          aria-keyshortcuts="Alt+Shift+C"
          title="Alt+Shift+C"
          onClick={() => run(() => sessionApi.closeRound(view.id, token, session.id, round.id))}
        >
          Close round
        </button>
      )}
      <FormError message={error} />
    </section>
  );
}

/**
 * Says the person's answer waits for the connection, or was recorded (while it is the one their party's answer
 * stands on: a colleague may answer after).
 */
function OwnAnswer({ round, mine }: { round: ConsentRound; mine: RoundAnswerDraft }) {
  const { view } = useAgreementAccess();
  const { recorded, chosen, waiting } = mine;
  if (waiting) {
    return (
      <>
        Offline: your “{STANCE_LABELS[waiting.answer]}” for {mine.partyName(waiting.party) ?? 'your party'} will be sent as soon as the connection is back.
      </>
    );
  }
  const standing = recorded?.party ? latestAnswers(round).get(recorded.party) : undefined;
  if (!recorded || chosen || standing?.by.personId !== view.me.personId || standing.answer !== recorded.answer) return null;
  return (
    <>
      Your “{STANCE_LABELS[recorded.answer]}” is recorded for {mine.partyName(recorded.party) ?? 'your party'}.
    </>
  );
}

/** What the person had chosen when the round closed: it was not recorded, so their party reads "No answer". */
function UnsentAnswer({ round, chosen, reason, mine }: { round: ConsentRound; chosen: ChosenAnswer; reason: string; mine: RoundAnswerDraft }) {
  const party = mine.partyName(chosen.party) ?? 'your party';
  // A colleague of the same party may have answered for it in time.
  const result = round.results?.find((r) => r.party === chosen.party);
  const recorded =
    !result || result.answer === 'no_answer'
      ? `${party} is recorded as not answering.`
      : `${party}’s answer is “${STANCE_LABELS[result.answer]}”${result.by ? `, from ${result.by.name}` : ''}.`;
  return (
    <p className="round__changed" data-testid="round-unsent">
      The round closed before your “{STANCE_LABELS[chosen.answer]}” was sent: {recorded}
      {reason.trim() && <> What you wrote: “{reason.trim()}”</>}
    </p>
  );
}

/**
 * What an open round asks of the people in it. The round is bound to the objective's text when it opened: once
 * that text changed (or went), an answer would attest to words no longer on anyone's screen, so everyone is told
 * and the answers wait for a new round. Mounted only while the round is open: it reads the live text.
 */
function OpenRound({ round, liveHash, mine }: { round: ConsentRound; liveHash: string | null | undefined; mine: RoundAnswerDraft }) {
  const { view } = useAgreementAccess();
  const { busy, error, chosen, reason, setReason } = mine;
  const pending = chosen && chosen.answer !== 'agree' ? chosen.answer : null;
  const canAnswer = can(view.me.role, 'answerRound') && !!view.me.party;
  // A reason for an objection being written, or an answer waiting for the connection: lost with the page until it is
  // sent. Not once the person may no longer answer: nothing of theirs can be sent then.
  useHoldPageOpen(canAnswer && (reason.trim() !== '' || mine.waiting !== null));
  const changed = liveHash !== undefined && liveHash !== round.contentHash;
  // The text has not reached the page (its records may come first): an answer would be on words not yet shown.
  const unread = liveHash === undefined;
  // Made an observer (or a legal reviewer) while an answer was chosen: the answer buttons go, and the words would with them unsaid.
  const stranded = !canAnswer && chosen !== null;
  // The party's answer as it stands, or the one whose reason is being written: the button that reads pressed.
  const standing = pending ?? (view.me.party ? latestAnswers(round).get(view.me.party)?.answer : undefined);
  /** The answer button that opened the reason's form: the focus goes back there once the form is gone. */
  const opener = useRef<HTMLButtonElement | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void mine.submit().then((ok) => ok && opener.current?.focus());
  };
  const cancel = () => {
    mine.cancel();
    opener.current?.focus();
  };

  return (
    <>
      {/* Always there, so a screen reader reads the note that appears in it. */}
      <div role="status">
        {changed && (
          <p className="round__changed" data-testid="round-text-changed">
            {liveHash === null ? 'This objective was removed from the text' : 'This objective was edited since this round opened'}: the round is on its earlier
            text, so answers wait. The broker can close it and start a new round on the text as it reads now.
          </p>
        )}
        {canAnswer && unread && <p className="round__changed">The objective’s text has not reached your page yet: answers wait until you can read it.</p>}
        {stranded && (
          <p className="round__changed" data-testid="round-unsent">
            You no longer answer for {mine.partyName(chosen.party) ?? 'a party'}, so your “{STANCE_LABELS[chosen.answer]}” was not sent.
            {reason.trim() && <> What you wrote: “{reason.trim()}”</>}
          </p>
        )}
      </div>
      {canAnswer && (
        <div className="round__mine" role="group" aria-label={`Answer for ${mine.partyName(view.me.party) ?? 'your party'}`}>
          {ANSWERS.map((a) => (
            <button
              key={a}
              type="button"
              className="button button--secondary button--small"
              aria-pressed={standing === a}
              // Not disabled while an answer is sent: a disabled button drops the focus of the person who pressed it.
              aria-disabled={busy || undefined}
              disabled={changed || unread}
              onClick={(event) => {
                if (busy) return;
                opener.current = event.currentTarget;
                mine.choose(a);
              }}
            >
              {STANCE_LABELS[a]}
            </button>
          ))}
          {pending && (
            <form
              onSubmit={submit}
              className="round__reason-form"
              onKeyDown={(event) => {
                if (event.key !== 'Escape') return;
                event.preventDefault();
                cancel();
              }}
            >
              <label className="field__label" htmlFor="round-reason">
                Reason
              </label>
              <input id="round-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} required autoFocus />
              <button type="submit" className="button button--primary button--small" disabled={busy || changed || unread || !reason.trim()}>
                Answer “{STANCE_LABELS[pending]}”
              </button>
            </form>
          )}
        </div>
      )}
      <FormError message={error} />
    </>
  );
}
