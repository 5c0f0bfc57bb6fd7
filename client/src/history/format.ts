import type { Party } from '#shared/protocol';
import type { Author } from '#shared/records';

/** "Amina (WaterAid Kenya)", or just the name for people of no party. */
export function personLabel(author: Author, parties: Party[]): string {
  const party = parties.find((p) => p.id === author.party);
  return party ? `${author.name} (${party.name})` : author.name;
}

export const shortHash = (hash: string) => hash.slice(0, 12);
