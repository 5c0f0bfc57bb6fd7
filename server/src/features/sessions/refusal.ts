/**
 * A command the session feature refuses, with the 4xx status it answers. The service
 * throws it without knowing HTTP; Fastify's error handler answers `{ error }` from it.
 */
export class SessionRefusal extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new SessionRefusal(400, message);
export const forbidden = (message: string) => new SessionRefusal(403, message);
export const missing = (message: string) => new SessionRefusal(404, message);
/** The session is not in a state where this command makes sense (already ended, a round already open…). */
export const conflict = (message: string) => new SessionRefusal(409, message);
