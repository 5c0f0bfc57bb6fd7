import { useStructure } from '../objectives/useStructure';
import { CompletenessPanel } from './CompletenessPanel';
import { OutlinePanel } from './OutlinePanel';
import { PhasePanel } from './PhasePanel';
import { QuickWinTimeline } from './QuickWinTimeline';
import { StandingPanel } from './StandingPanel';
import './dashboard.css';

/** The side panels about the agreement's structure: phase, standing, quick wins, outline, completeness. */
export function StructurePanels() {
  const structure = useStructure();
  return (
    <>
      <PhasePanel />
      <StandingPanel structure={structure} />
      <QuickWinTimeline structure={structure} />
      <OutlinePanel structure={structure} />
      <CompletenessPanel structure={structure} />
    </>
  );
}
