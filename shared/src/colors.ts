/** One colour per party, by its position in the agreement; brokers and unaffiliated people get neutral tones. */
const PARTY_COLORS = ['#1f77b4', '#d6604d', '#2ca02c', '#9467bd', '#e6a700', '#17becf', '#8c564b', '#e377c2'];
export const NEUTRAL_COLOR = '#5f6b7a';

export function partyColor(partyIndex: number): string {
  if (partyIndex < 0) return NEUTRAL_COLOR;
  return PARTY_COLORS[partyIndex % PARTY_COLORS.length];
}
