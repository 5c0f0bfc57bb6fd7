import { ErrorCode } from '#shared/errors';

/**
 * An error meant for the client, thrown by services that know nothing of HTTP: the
 * error handler answers it as `{ error: message, code }` with `status` (a 4xx).
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (code: ErrorCode, message: string) => new AppError(400, code, message);
export const unauthorized = (message = 'a valid token is required') => new AppError(401, ErrorCode.Unauthorized, message);
export const forbidden = (code: ErrorCode, message: string) => new AppError(403, code, message);
export const notFound = (code: ErrorCode, message: string) => new AppError(404, code, message);
export const conflict = (code: ErrorCode, message: string) => new AppError(409, code, message);
/** A temporary refusal (several instances: the agreement is changing owner, or the database is away); the client retries. */
export const unavailable = (message: string) => new AppError(503, ErrorCode.Unavailable, message);
