import { NodeViewContent, NodeViewWrapper, type ReactNodeViewProps } from '@tiptap/react';
import { canonicalObjective } from '#shared/objectives';
import type { ObjectiveAttrs } from '#shared/objective';
import { useAgreement } from '../agreement/AgreementContext';
import { useHash } from './hash';
import { StanceBar } from './StanceBar';

/** The objective block in the editor: its text fields live, its facts as form controls, the stances below. */
export function ObjectiveView({ node, updateAttributes, editor }: ReactNodeViewProps) {
  const { view } = useAgreement();
  const attrs = node.attrs as ObjectiveAttrs;
  const hash = useHash(canonicalObjective(node.toJSON()));
  const editable = editor.isEditable;
  const owner = view.parties.find((p) => p.id === attrs.scope);
  const set = (patch: Partial<ObjectiveAttrs>) => updateAttributes(patch);

  return (
    <NodeViewWrapper
      as="section"
      className={`objective${attrs.quickWin ? ' objective--quick-win' : ''}`}
      data-objective-id={attrs.id}
      data-testid="objective"
      style={owner ? { borderLeftColor: owner.color } : undefined}
    >
      <div className="objective__head" contentEditable={false}>
        <span className="objective__kind">{owner ? `${owner.name}'s own objective` : 'Shared objective'}</span>
        <select aria-label="Whose objective" value={attrs.scope} disabled={!editable} onChange={(e) => set({ scope: e.target.value })}>
          <option value="shared">Shared</option>
          {view.parties.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}'s own
            </option>
          ))}
        </select>
        <label className="objective__quick-win">
          <input type="checkbox" checked={attrs.quickWin} disabled={!editable} onChange={(e) => set({ quickWin: e.target.checked })} /> Quick win
        </label>
      </div>
      <NodeViewContent className="objective__fields" />
      <div className="objective__facts" contentEditable={false}>
        <label>
          Owners
          <input aria-label="Owners" value={attrs.owners} readOnly={!editable} maxLength={300} onChange={(e) => set({ owners: e.target.value })} />
        </label>
        <label>
          Indicators
          <input aria-label="Indicators" value={attrs.indicators} readOnly={!editable} maxLength={500} onChange={(e) => set({ indicators: e.target.value })} />
        </label>
        <label>
          Target date
          <input aria-label="Target date" type="date" value={attrs.targetDate} readOnly={!editable} onChange={(e) => set({ targetDate: e.target.value })} />
        </label>
      </div>
      <StanceBar objectiveId={attrs.id} hash={hash} />
    </NodeViewWrapper>
  );
}
