/**
 * How long a restore may wait for the text it replaces to be kept as a snapshot. Meanwhile the
 * agreement's room stores, and so relays, no change (RoomLog.storeAfter): every other person's
 * words are held. A normal restore of 40 pages keeps its copy well within it (see the report in
 * the commit); past it, the storage is slow or away, and a live session must not freeze for that.
 */
export const RESTORE_KEEP_BEFORE_MS = 2000;
