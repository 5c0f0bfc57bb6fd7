import { canMarkDelivered, type QuickWinDelivery } from '#shared/quickWinDelivery';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { MarkBox } from '../ui/MarkBox';
import { formatDate } from '../ui/When';
import { putDelivered } from './api';

/** Who marked a quick win delivered, and the day, in the reader's zone: "Nia Otieno on Dec 6, 2026". */
export function deliveredBy(delivery: QuickWinDelivery): string {
  return `${delivery.by.name} on ${formatDate(delivery.at)}`;
}

/** "Delivered" on a quick win, for the broker and the negotiators of its parties (nothing for anyone else). */
export function DeliveredBox(props: { objectiveId: string; scope: string; delivered: boolean; label: string; className: string }) {
  const { objectiveId, scope, delivered, label, className } = props;
  const { view, token } = useAgreementAccess();
  if (!canMarkDelivered(view.me, scope)) return null;
  return <MarkBox className={className} marked={delivered} text="Delivered" label={label} mark={(next) => putDelivered(view.id, token, objectiveId, next)} />;
}
