import { useState } from 'react';
import type { ConsentRound, LiveSession, RoundAnswerValue } from '#shared/sessions';
import { useAgreementAccess } from '../../agreement/AgreementContext';
import { ApiError } from '../../api';
import { sessionApi } from './sessionApi';
import { useCommand } from './useCommand';

/** An answer a negotiator chose and has not seen recorded: its reason being written, or its request under way. */
export interface ChosenAnswer {
  answer: RoundAnswerValue;
  /** The party it speaks for, as the person chose it: a move to another party meanwhile must not make it theirs. */
  party: string | undefined;
}

/**
 * The person's own answer in a round, kept by the round's card rather than by its answer buttons: when the round
 * closes before the answer is recorded, the card still knows what was chosen and written, and says so.
 */
export function useRoundAnswer(session: LiveSession, round: ConsentRound, contentHash: string | null | undefined) {
  const { view, token } = useAgreementAccess();
  const { busy, error, run } = useCommand();
  const [chosen, setChosen] = useState<ChosenAnswer | null>(null);
  const [reason, setReason] = useState('');
  /** The last answer of this person the server recorded, to say so. */
  const [recorded, setRecorded] = useState<ChosenAnswer | null>(null);
  const partyName = (id: string | undefined) => view.parties.find((p) => p.id === id)?.name;

  const send = (answer: ChosenAnswer, why?: string) =>
    run(() =>
      // The text as read now: the server refuses the answer if the round is about another version,
      // and (403 wrong_party) if its author no longer speaks for the party it was chosen for.
      sessionApi
        .answer(view.id, token, session.id, round.id, {
          answer: answer.answer,
          ...(why ? { reason: why } : {}),
          ...(contentHash ? { contentHash } : {}),
          ...(answer.party ? { party: answer.party } : {}),
        })
        .catch((err: unknown) => {
          if (err instanceof ApiError && err.code === 'wrong_party') {
            throw new Error(`This answer was for ${partyName(answer.party) ?? 'another party'}, which you no longer speak for: it was not recorded.`);
          }
          throw err;
        }),
    ).then((ok) => {
      if (ok) {
        setChosen(null);
        setReason('');
        setRecorded(answer);
      }
      return ok;
    });

  return {
    busy,
    error,
    chosen,
    reason,
    setReason,
    partyName,
    /** A button pressed: "Agree" is sent at once; the others wait for their reason. */
    choose(answer: RoundAnswerValue) {
      const next = { answer, party: view.me.party };
      setChosen(next);
      if (answer === 'agree') void send(next);
    },
    /** The reason written: sends the chosen answer, for the party it was chosen for; answers whether it was recorded. */
    submit(): Promise<boolean> {
      return chosen && reason.trim() ? send(chosen, reason.trim()) : Promise.resolve(false);
    },
    /** Puts away an answer whose reason was being written. */
    cancel() {
      setChosen(null);
      setReason('');
    },
    recorded,
  };
}

export type RoundAnswerDraft = ReturnType<typeof useRoundAnswer>;
