import type { FastifyInstance, FastifyPluginOptions } from 'fastify';
import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { MAX_LINK_DAYS } from '#shared/access';
import { TextFormat } from '#shared/text';

/**
 * Schemas every feature uses, registered once on the app (`addSchema`) and used by `$ref`
 * ('id#'). Each is also in {@link SharedSchemas}, so the type provider can resolve a
 * `$ref` when it derives a request's types from its schema.
 */

/** Any id in a path or a query: agreements, threads, comments, objectives, snapshots. */
export const idSchema = { $id: 'id', type: 'string', minLength: 1, maxLength: 64 } as const;

/** A title, name or label: something visible, and nothing that misleads (see #shared/text). */
export const nonEmptyText = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: '\\S', format: TextFormat.line }) as const;

/** Days a link stays valid (1 to 365), or null for never. */
export const expiresInDays = { type: ['integer', 'null'], minimum: 1, maximum: MAX_LINK_DAYS } as const;

/** Path parameters of an agreement-scope route: `:id` plus the given ones, each an id. */
export function params<const Names extends string[]>(...names: Names) {
  const properties = Object.fromEntries(['id', ...names].map((name) => [name, { $ref: 'id#' }])) as {
    [K in 'id' | Names[number]]: { $ref: 'id#' };
  };
  return { type: 'object', required: ['id', ...names] as ['id', ...Names], properties } as const;
}

export type SharedSchemas = [typeof idSchema];

export function registerSharedSchemas(app: FastifyInstance): void {
  app.addSchema(idSchema);
}

/** A feature's Fastify plugin: request types come from its route schemas. */
export type ApiPlugin<Options extends FastifyPluginOptions> = FastifyPluginAsyncJsonSchemaToTs<{
  Options: Options;
  ValidatorSchemaOptions: { references: SharedSchemas };
}>;
