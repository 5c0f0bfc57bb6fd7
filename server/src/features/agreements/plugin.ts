import type { ApiPlugin } from '../../http/schemas';
import * as schemas from './schemas';
import type { AgreementService } from './service';

interface Options {
  agreements: AgreementService;
}

interface AgreementOptions extends Options {
  /** Starts loading the agreement's text for a page that asked for it (it joins the text once its code is in). */
  loadTextAhead: (agreementId: string) => void;
}

/** `POST /api/agreements`: anyone may start an agreement (registered with prefix /api/agreements). */
export const agreementsPlugin: ApiPlugin<Options> = async (app, { agreements }) => {
  app.post('', { schema: schemas.createAgreement }, async (request, reply) => {
    reply.code(201);
    return agreements.create(request.body);
  });
};

/** One agreement (registered in the agreement scope; its people and invites: features/people). */
export const agreementPlugin: ApiPlugin<AgreementOptions> = async (app, { agreements, loadTextAhead }) => {
  app.get('', { schema: schemas.readAgreement, config: { may: 'read' } }, async (request) => {
    // The page asks for the agreement first and opens the text once its code is in (a second later on a laptop,
    // more on a slow link): the text's load, a quarter to half a second for 60 pages, is done by then.
    loadTextAhead(request.agreement.id);
    return agreements.view(request.agreement, request.me);
  });
};
