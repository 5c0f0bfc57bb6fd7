import type { InviteResponse } from '#shared/protocol';
import type { ApiPlugin } from '../../http/schemas';
import * as schemas from './schemas';
import type { PeopleService } from './service';

/**
 * People and their access (in the agreement scope): everyone invited lists them; brokers
 * invite, revoke people or links, issue new links and change roles.
 */
export const peoplePlugin: ApiPlugin<{ people: PeopleService }> = async (app, { people }) => {
  app.get('/people', { schema: schemas.listPeople, config: { may: 'read' } }, async (request) => ({ people: people.list(request.me, request.agreement) }));

  app.post('/invites', { schema: schemas.invite, config: { may: 'invite' } }, async (request, reply): Promise<InviteResponse> => {
    const { role, party, expiresInDays } = request.body;
    const { token, url, expiresAt, person } = await people.invite(request.me, request.agreement, {
      role,
      name: request.body.name.trim(),
      party,
      expiresInDays,
    });
    reply.code(201);
    return { token, url, expiresAt, personId: person.id, role, name: person.name, ...(person.party ? { party: person.party } : {}) };
  });

  app.delete('/people/:personId', { schema: schemas.revokePerson, config: { may: 'managePeople' } }, async (request, reply) => {
    await people.revoke(request.me, request.agreement, request.params.personId);
    return reply.code(204).send();
  });

  app.delete('/people/:personId/links/:linkId', { schema: schemas.revokeLink, config: { may: 'managePeople' } }, async (request, reply) => {
    await people.revokeLink(request.me, request.agreement, request.params.personId, request.params.linkId);
    return reply.code(204).send();
  });

  app.post(
    '/people/:personId/links',
    {
      schema: schemas.reissueLink,
      config: { may: 'managePeople' },
      // No body means the default expiry.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const link = await people.reissue(request.me, request.agreement, request.params.personId, request.body.expiresInDays);
      reply.code(201);
      return link;
    },
  );

  app.patch('/people/:personId', { schema: schemas.changeRole, config: { may: 'managePeople' } }, async (request) => {
    const { role, party } = request.body;
    return { person: await people.changeRole(request.me, request.agreement, request.params.personId, role, party) };
  });
};
