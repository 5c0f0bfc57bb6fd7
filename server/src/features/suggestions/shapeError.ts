/** A change a suggestion cannot hold, with the reason for people. */
export class ShapeError extends Error {}
