import { useRef, useState } from 'react';
import type { ConsentRound, LiveSession, RoundAnswerValue } from '#shared/sessions';
import { useAgreementAccess } from '../../agreement/AgreementContext';
import { ApiError } from '../../api';
import { useRetryWhileOffline } from '../../ui/useRetryWhileOffline';
import { sessionApi } from './sessionApi';

/** An answer a negotiator chose and has not seen recorded: its reason being written, its request under way, or waiting for the connection. */
export interface ChosenAnswer {
  answer: RoundAnswerValue;
  /** The party it speaks for, as the person chose it: a move to another party meanwhile must not make it theirs. */
  party: string | undefined;
}

/**
 * The person's own answer in a round, kept by the round's card rather than by its answer buttons: when the round
 * closes before the answer is recorded, the card still knows what was chosen and written, and says so. An answer
 * given offline waits and is sent once the server can be reached; the server refuses it then if the round closed,
 * its text changed, or its author no longer speaks for the party.
 */
export function useRoundAnswer(session: LiveSession, round: ConsentRound, contentHash: string | null | undefined) {
  const { view, token } = useAgreementAccess();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<ChosenAnswer | null>(null);
  const [reason, setReason] = useState('');
  /** Sent while offline: tried again until the server answers. */
  const [waiting, setWaiting] = useState<{ answer: ChosenAnswer; why?: string; seen?: string } | null>(null);
  /** The last answer of this person the server recorded, to say so. */
  const [recorded, setRecorded] = useState<ChosenAnswer | null>(null);
  const sending = useRef(false);
  const partyName = (id: string | undefined) => view.parties.find((p) => p.id === id)?.name;

  // `seen`: the text's hash when the answer was given; a retry after the text changed must not attest the new words.
  const send = async (answer: ChosenAnswer, why?: string, seen = contentHash ?? undefined): Promise<boolean> => {
    if (sending.current) return false;
    sending.current = true;
    setBusy(true);
    setError(null);
    try {
      // The server refuses the answer if the round is about another version of the text,
      // and (403 wrong_party) if its author no longer speaks for the party it was chosen for.
      await sessionApi.answer(view.id, token, session.id, round.id, {
        answer: answer.answer,
        ...(why ? { reason: why } : {}),
        ...(seen ? { contentHash: seen } : {}),
        ...(answer.party ? { party: answer.party } : {}),
      });
      setChosen(null);
      setReason('');
      setWaiting(null);
      setRecorded(answer);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.isNetwork) setWaiting({ answer, why, seen });
      else {
        setWaiting(null);
        setError(
          err instanceof ApiError && err.code === 'wrong_party'
            ? `This answer was for ${partyName(answer.party) ?? 'another party'}, which you no longer speak for: it was not recorded.`
            : err instanceof Error
              ? err.message
              : 'Could not record the answer.',
        );
      }
      return false;
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };
  useRetryWhileOffline(waiting, () => waiting && void send(waiting.answer, waiting.why, waiting.seen));

  return {
    busy,
    error,
    chosen,
    reason,
    setReason,
    waiting: waiting?.answer ?? null,
    recorded,
    partyName,
    /** A button pressed: "Agree" is sent at once; the others wait for their reason. */
    choose(answer: RoundAnswerValue) {
      const next = { answer, party: view.me.party };
      setChosen(next);
      setWaiting(null);
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
  };
}

export type RoundAnswerDraft = ReturnType<typeof useRoundAnswer>;
