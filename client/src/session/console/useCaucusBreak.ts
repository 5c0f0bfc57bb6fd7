import { useEffect, useRef } from 'react';
import { useAgreementAccess } from '../../agreement/AgreementContext';
import { useLiveSession } from './useLiveSession';

/** Calls `open` once for each caucus break a broker calls, for members of a party (their caucus tab opens). */
export function useCaucusBreak(open: () => void): void {
  const { view } = useAgreementAccess();
  const startedAt = useLiveSession().active?.caucus?.startedAt;
  const seen = useRef(startedAt);
  useEffect(() => {
    if (!startedAt || startedAt === seen.current || !view.me.party) return;
    seen.current = startedAt;
    open();
  }, [startedAt, view.me.party]);
}
