/**
 * Room names. y-websocket puts the room name into the URL path without encoding it,
 * so names are built from URL-safe ids joined with '.', never '/'.
 */
export type RoomKind = 'content' | 'records' | 'caucus';

export interface RoomRef {
  kind: RoomKind;
  agreementId: string;
  /** Only for caucus rooms: the party whose private room it is. */
  partyId?: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidId(id: string): boolean {
  return ID.test(id);
}

export function contentRoom(agreementId: string): string {
  return agreementId;
}

export function recordsRoom(agreementId: string): string {
  return `${agreementId}.records`;
}

export function caucusRoom(agreementId: string, partyId: string): string {
  return `${agreementId}.caucus.${partyId}`;
}

/** Parses a room name; returns null for anything that is not one of ours. */
export function parseRoom(name: string): RoomRef | null {
  const parts = name.split('.');
  if (!parts.every(isValidId)) return null;
  if (parts.length === 1) return { kind: 'content', agreementId: parts[0] };
  if (parts.length === 2 && parts[1] === 'records') return { kind: 'records', agreementId: parts[0] };
  if (parts.length === 3 && parts[1] === 'caucus') return { kind: 'caucus', agreementId: parts[0], partyId: parts[2] };
  return null;
}

export function roomName(ref: RoomRef): string {
  switch (ref.kind) {
    case 'content':
      return contentRoom(ref.agreementId);
    case 'records':
      return recordsRoom(ref.agreementId);
    case 'caucus':
      return caucusRoom(ref.agreementId, ref.partyId ?? '');
  }
}

/** Name of the shared type that holds the Tiptap document in the content room. */
export const CONTENT_FIELD = 'content';
