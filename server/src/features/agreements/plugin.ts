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

/** One agreement (registered in the agreement scope; its people and invites: features/people). */
export const agreementPlugin: ApiPlugin<Options> = async (app, { agreements }) => {
  app.get('', { schema: schemas.readAgreement, config: { may: 'read' } }, async (request) => agreements.view(request.agreement, request.me));
};
