import type { ApiPlugin } from '../../http/schemas';
import { attachmentHeaders } from '../../http/attachment';
import type { RedlineService } from './redline';
import type { preValidationHookHandler } from 'fastify';
import { ErrorCode } from '#shared/errors';
import { badRequest } from '../../errors';
import { MAX_BLOCK_LEVELS, tooDeepAt } from './blockSchema';
import * as schemas from './schemas';
import type { SuggestionService } from './service';

/** The ids of an agreement's parties, which a suggested objective's scope names. */
const partyIdsOf = (agreement: { parties: { id: string }[] }) => agreement.parties.map((p) => p.id);

/** Before the schema (blockSchema.ts): blocks nested deeper than the text may hold are a 400, never a recursion that deep. */
const refuseBlocksTooDeep: preValidationHookHandler = async (request) => {
  const at = tooDeepAt((request.body as { blocks?: unknown } | undefined)?.blocks, MAX_BLOCK_LEVELS);
  if (at !== null) throw badRequest(ErrorCode.InvalidRequest, `invalid request: body/blocks${at} nests nodes deeper than ${MAX_BLOCK_LEVELS} levels`);
};

/** Suggestions, their decisions, suggest-only and the redline export (in the agreement scope). */
export const suggestionsPlugin: ApiPlugin<{ suggestions: SuggestionService; redlines: RedlineService }> = async (app, { suggestions, redlines }) => {
  app.get('/suggestions', { schema: schemas.list, config: { may: 'read' } }, async (request) => ({
    suggestions: await suggestions.list(request.agreement.id),
  }));

  app.post('/suggestions', { schema: schemas.create, preValidation: refuseBlocksTooDeep, config: { may: 'suggest' } }, async (request, reply) => {
    const suggestion = await suggestions.create(request.me, request.body, partyIdsOf(request.agreement));
    reply.code(201);
    return { suggestion };
  });

  for (const decision of ['accept', 'reject'] as const) {
    app.post(`/suggestions/:suggestionId/${decision}`, { schema: schemas.decide, config: { may: 'decideSuggestion' } }, async (request) => ({
      suggestion: await suggestions.decide(request.me, request.params.suggestionId, decision, partyIdsOf(request.agreement)),
    }));
    app.post(`/suggestions/${decision}-all`, { schema: schemas.decideAll, config: { may: 'decideSuggestion' } }, async (request) =>
      suggestions.decideAll(request.me, request.body ?? {}, decision, partyIdsOf(request.agreement)),
    );
  }

  app.post('/suggestions/:suggestionId/comments', { schema: schemas.reply, config: { may: 'comment' } }, async (request, reply) => {
    const result = await suggestions.reply(request.me, request.params.suggestionId, request.body.body);
    reply.code(201);
    return result;
  });

  app.put('/suggest-only', { schema: schemas.suggestOnly, config: { may: 'setSuggestOnly' } }, async (request) =>
    suggestions.setSuggestOnly(request.me, request.body.on),
  );

  app.get('/redline', { schema: schemas.redline, config: { may: 'read' } }, async (request, reply) => {
    const file = await redlines.redline(request.agreement, request.query.from, request.query.to, request.me.personId);
    return reply.headers(attachmentHeaders(file)).send(file.body);
  });
};
