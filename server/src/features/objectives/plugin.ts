import type { ApiPlugin } from '../../http/schemas';
import * as schemas from './schemas';
import type { ObjectiveService } from './service';

/** Objectives with their standing, completeness, stances and calls for stances (in the agreement scope). */
export const objectivesPlugin: ApiPlugin<{ objectives: ObjectiveService }> = async (app, { objectives }) => {
  app.get('/objectives', { schema: schemas.read, config: { may: 'read' } }, async (request) => objectives.list(request.agreement, request.me.personId));

  app.get('/completeness', { schema: schemas.read, config: { may: 'read' } }, async (request) =>
    objectives.completeness(request.agreement, request.me.personId),
  );

  app.put('/objectives/:objectiveId/stance', { schema: schemas.stance, config: { may: 'stateStance' } }, async (request) =>
    objectives.stateStance(request.me, request.agreement, request.params.objectiveId, request.body),
  );

  // The role is checked here; which negotiators may, by whose objective it is, once the text is read.
  app.put('/objectives/:objectiveId/delivered', { schema: schemas.delivered, config: { may: 'markDelivered' } }, async (request) =>
    objectives.markDelivered(request.me, request.agreement, request.params.objectiveId, request.body.delivered),
  );

  app.post('/objectives/:objectiveId/call-for-stances', { schema: schemas.callForStances, config: { may: 'callForStances' } }, async (request, reply) => {
    const call = await objectives.callForStances(request.me, request.agreement, request.params.objectiveId);
    reply.code(201);
    return call;
  });
};
