import type { PersonView } from '#shared/access';
import { listPeople, PEOPLE_CHANGED } from './api';

/** Read again at least this often while someone shows the list, so "last seen" stays roughly true. */
const REFRESH_MS = 30_000;

/**
 * The agreement's people as the server lists them, one copy per page for everyone who reads it (the
 * People panel, the threads' mentions, the broker's session tools): each had asked the server on its
 * own, twice while an agreement opened. Read again on a change made here (PEOPLE_CHANGED), every
 * 30 s while read, and when a reader asks; a reading asked for while one is under way follows it,
 * so a change made meanwhile is not answered with the list from before it.
 */
export class PeopleSource {
  people: PersonView[] | null = null;
  private readonly listeners = new Set<() => void>();
  private asking = false;
  private askAgain = false;
  private stopWatching: (() => void) | null = null;

  constructor(
    private readonly agreementId: string,
    private readonly token: string,
  ) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.watch();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopWatching?.();
    };
  }

  readonly reload = (): void => {
    if (this.asking) {
      this.askAgain = true;
      return;
    }
    this.asking = true;
    listPeople(this.agreementId, this.token)
      .then(
        (res) => {
          this.people = res.people;
          for (const listener of this.listeners) listener();
        },
        () => {
          // Offline or refused: keep what is shown.
        },
      )
      .finally(() => {
        this.asking = false;
        if (this.askAgain) {
          this.askAgain = false;
          this.reload();
        }
      });
  };

  private watch(): void {
    this.reload();
    const timer = setInterval(this.reload, REFRESH_MS);
    window.addEventListener(PEOPLE_CHANGED, this.reload);
    this.stopWatching = () => {
      clearInterval(timer);
      window.removeEventListener(PEOPLE_CHANGED, this.reload);
      this.stopWatching = null;
    };
  }
}

const sources = new Map<string, PeopleSource>();

/** The list of this agreement's people as this person may read it (one per agreement and token). */
export function peopleSource(agreementId: string, token: string): PeopleSource {
  const key = `${agreementId} ${token}`;
  let source = sources.get(key);
  if (!source) {
    source = new PeopleSource(agreementId, token);
    sources.set(key, source);
  }
  return source;
}
