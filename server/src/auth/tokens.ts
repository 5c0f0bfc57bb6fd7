import { SignJWT, errors, jwtVerify } from 'jose';

const ISSUER = 'common-ground';

/** What a token names: a person of an agreement, through one of their links. The role is the server's to say. */
export interface TokenClaims {
  agreementId: string;
  personId: string;
  /** The link's id (`jti`); absent only in tokens issued before links were kept. */
  linkId?: string;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'invalid' | 'expired' };

/** Signs and checks the bearer tokens that invite links carry (HS256, via jose). */
export class TokenService {
  constructor(private readonly secret: Uint8Array) {}

  /**
   * A token for one link; `expiresAt` (ISO) becomes its `exp` (null for none), `issuedAt` (the link's) its
   * `iat`, milliseconds kept (a JWT NumericDate may have them): the page opens the newer of two links of
   * one person by it, and two links made within one second tied in whole seconds.
   */
  sign(claims: Required<TokenClaims>, expiresAt: string | null, issuedAt = new Date().toISOString()): Promise<string> {
    const jwt = new SignJWT({ agr: claims.agreementId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(claims.personId)
      .setJti(claims.linkId)
      .setIssuedAt(Date.parse(issuedAt) / 1000);
    if (expiresAt !== null) jwt.setExpirationTime(new Date(expiresAt));
    return jwt.sign(this.secret);
  }

  /** Checks signature, issuer and expiry; says which of the two failed. */
  async verify(token: string | undefined): Promise<TokenCheck> {
    if (!token) return { ok: false, reason: 'invalid' };
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, algorithms: ['HS256'] });
      const { agr, sub, jti } = payload;
      if (typeof agr !== 'string' || typeof sub !== 'string') return { ok: false, reason: 'invalid' };
      if (jti !== undefined && typeof jti !== 'string') return { ok: false, reason: 'invalid' };
      return { ok: true, claims: { agreementId: agr, personId: sub, ...(jti ? { linkId: jti } : {}) } };
    } catch (err) {
      return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
