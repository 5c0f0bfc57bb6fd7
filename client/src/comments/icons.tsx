import { StrokeIcon } from '../ui/StrokeIcon';

/** Small stroke icons of the comments feature (24×24 grid, currentColor). */
const paths = {
  addComment: 'M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12zM13 8.5v7M9.5 12h7',
  lock: 'M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3',
} as const;

export function CommentIcon({ name, size = 16 }: { name: keyof typeof paths; size?: number }) {
  return <StrokeIcon d={paths[name]} size={size} />;
}
