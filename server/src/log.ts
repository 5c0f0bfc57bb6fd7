/**
 * The logging the server's core needs: pino's method shape, as Fastify hands it out
 * (`app.log`), without the core depending on Fastify.
 */
export interface Logger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}
