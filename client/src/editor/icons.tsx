import { StrokeIcon } from '../ui/StrokeIcon';

/** Small stroke icons for the toolbar (24×24 grid, currentColor). */
const paths = {
  bulletList: 'M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01',
  orderedList: 'M10 6h10M10 12h10M10 18h10M4 5l1.5-1V9M3.5 14.5c.3-.6 1-1 1.7-.9.9.1 1.3 1 .8 1.7L3.5 19h3',
  quote: 'M7 7h4v5c0 2.5-1.5 4-4 5M14 7h4v5c0 2.5-1.5 4-4 5',
  undo: 'M9 14 4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11',
  redo: 'M15 14l5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name }: { name: IconName }) {
  return <StrokeIcon d={paths[name]} size={18} />;
}
