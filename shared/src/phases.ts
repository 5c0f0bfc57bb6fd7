import type { Author } from './records';

/** The partnership life cycle, in order: scoping and building, managing and maintaining, reviewing and revising, sustaining outcomes or moving on. */
export const PHASES = ['scoping', 'managing', 'reviewing', 'sustaining'] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_LABELS: Record<Phase, string> = {
  scoping: 'Scoping and building',
  managing: 'Managing and maintaining',
  reviewing: 'Reviewing and revising',
  sustaining: 'Sustaining or moving on',
};

/** Where an agreement starts before the broker has moved it. */
export const INITIAL_PHASE: Phase = 'scoping';

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}

/** One entry of `RecordsKey.phaseLog`: a phase change, who made it and when. */
export interface PhaseChange {
  phase: Phase;
  previous: Phase | null;
  by: Author;
  at: string;
  /** Why the broker made the change; always present on a step back. */
  reason?: string;
}

/** Longest reason for a phase change, in characters. */
export const MAX_PHASE_REASON = 1000;

/** Moving to an earlier phase of the life cycle: the broker must say why. */
export function isStepBack(previous: Phase | null, next: Phase): boolean {
  return previous !== null && PHASES.indexOf(next) < PHASES.indexOf(previous);
}
