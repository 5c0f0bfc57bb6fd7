import type { ApiPlugin } from '../../http/schemas';
import * as schemas from './schemas';
import type { AgreementService } from './service';

interface Options {
  agreements: AgreementService;
}

/** `POST /api/agreements`: anyone may start an agreement (registered with prefix /api/agreements). */
export const agreementsPlugin: ApiPlugin<Options> = async (app, { agreements }) => {
  app.post('', { schema: schemas.createAgreement }, async (request, reply) => {
    reply.code(201);
    return agreements.create(request.body);
  });
};

/** One agreement, its people and its invites (registered in the agreement scope). */
export const agreementPlugin: ApiPlugin<Options> = async (app, { agreements }) => {
  app.get('', { schema: schemas.readAgreement, config: { may: 'read' } }, async (request) => agreements.view(request.agreement, request.me));

  app.get('/people', { schema: schemas.readAgreement, config: { may: 'read' } }, async (request) => ({ people: agreements.people(request.agreement) }));

  app.post('/invites', { schema: schemas.invite, config: { may: 'invite' } }, async (request, reply) => {
    const invited = await agreements.invite(request.agreement, request.body);
    reply.code(201);
    return invited;
  });
};
