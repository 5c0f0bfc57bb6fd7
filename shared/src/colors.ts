/** One colour per party, by its position in the agreement; brokers and unaffiliated people get neutral tones. */
const PARTY_COLORS = ['#1f77b4', '#d6604d', '#2ca02c', '#9467bd', '#e6a700', '#17becf', '#8c564b', '#e377c2'];
export const NEUTRAL_COLOR = '#5f6b7a';

export function partyColor(partyIndex: number): string {
  if (partyIndex < 0) return NEUTRAL_COLOR;
  return PARTY_COLORS[partyIndex % PARTY_COLORS.length];
}

/** Relative luminance of a `#rrggbb` colour (WCAG 2). */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** White or near-black, whichever reads better on `background` (party colours vary from dark blue to yellow). */
export function textColorOn(background: string): string {
  if (!/^#[0-9a-f]{6}$/i.test(background)) return '#ffffff';
  const bg = luminance(background);
  const onWhite = 1.05 / (bg + 0.05);
  const onDark = (bg + 0.05) / (luminance('#111111') + 0.05);
  return onWhite >= onDark ? '#ffffff' : '#111111';
}
