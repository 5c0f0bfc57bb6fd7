import { SignJWT, jwtVerify } from 'jose';
import { ROLES, type Role } from '#shared/roles';
import type { Identity } from '#shared/protocol';

const ISSUER = 'common-ground';

/** Signs and checks the bearer tokens that invite links carry (HS256, via jose). */
export class TokenService {
  constructor(private readonly secret: Uint8Array) {}

  sign(identity: Identity): Promise<string> {
    const claims: Record<string, string> = { agr: identity.agreementId, role: identity.role, name: identity.name };
    if (identity.party) claims.party = identity.party;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(identity.personId)
      .setIssuedAt()
      .sign(this.secret);
  }

  /** The identity a token carries, or null when it is missing, forged or malformed. */
  async verify(token: string | undefined): Promise<Identity | null> {
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, algorithms: ['HS256'] });
      const { agr, role, name, party, sub } = payload as Record<string, unknown>;
      if (typeof agr !== 'string' || typeof name !== 'string' || typeof sub !== 'string') return null;
      if (!ROLES.includes(role as Role)) return null;
      if (party !== undefined && typeof party !== 'string') return null;
      return { agreementId: agr, role: role as Role, name, personId: sub, ...(party ? { party } : {}) };
    } catch {
      return null;
    }
  }
}
