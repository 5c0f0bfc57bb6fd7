import type { DecorationAttrs } from '@tiptap/pm/view';

function isHex(color: unknown): color is string {
  return typeof color === 'string' && /^#[0-9a-fA-F]{6}$/.test(color);
}

/** Black or white, whichever reads better on the given colour. */
export function textColorOn(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.4 ? '#14202b' : '#ffffff';
}

/** Another person's caret: a coloured bar with their name above it. */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = isHex(user.color) ? user.color : '#5f6b7a';
  const name = typeof user.name === 'string' ? user.name : 'Someone';
  const caret = document.createElement('span');
  caret.className = 'collaboration-carets__caret';
  caret.style.borderColor = color;
  caret.setAttribute('data-user', name);
  const label = document.createElement('span');
  label.className = 'collaboration-carets__label';
  label.style.backgroundColor = color;
  label.style.color = textColorOn(color);
  label.textContent = name;
  caret.append(label);
  return caret;
}

/** Another person's selection, tinted in their colour. */
export function renderSelection(user: Record<string, unknown>): DecorationAttrs {
  const color = isHex(user.color) ? user.color : '#5f6b7a';
  return {
    nodeName: 'span',
    class: 'collaboration-carets__selection',
    style: `background-color: ${color}33`,
    'data-user': typeof user.name === 'string' ? user.name : '',
  };
}
