import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { TokenService } from '../../server/src/auth/tokens';
import { deviceCopyName, sharedDeviceCopyName } from '../../client/src/session/deviceCopyName';

const secret = new TextEncoder().encode('device-copy-secret-device-copy-secret');

describe("the device's copy of a text, one per person", () => {
  it('is named by the person a link names, whichever of their links opened it', async () => {
    const tokens = new TokenService(secret);
    const first = await tokens.sign({ agreementId: 'agr1', personId: 'nia', linkId: 'link1' }, null);
    const second = await tokens.sign({ agreementId: 'agr1', personId: 'nia', linkId: 'link2' }, null);
    const other = await tokens.sign({ agreementId: 'agr1', personId: 'noor', linkId: 'link3' }, null);
    expect(deviceCopyName('agr1', first)).toBe('cg:agr1:nia');
    expect(deviceCopyName('agr1', second)).toBe(deviceCopyName('agr1', first));
    expect(deviceCopyName('agr1', other)).not.toBe(deviceCopyName('agr1', first));
  });

  it('falls back to the shared copy for a token that names no usable person', async () => {
    const odd = await new SignJWT({ agr: 'agr1' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a/b').sign(secret);
    for (const token of ['', 'not a token', 'a.b.c', odd]) expect(deviceCopyName('agr1', token)).toBe(sharedDeviceCopyName('agr1'));
  });
});
