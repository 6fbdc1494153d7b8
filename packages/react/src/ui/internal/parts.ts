import type { CSSProperties } from 'react';

/**
 * Class names per part of a component: every element the kit renders has a stable default class
 * (`ac-<component>-<part>`, what `ui.css` styles) and takes yours on top, so the same component fits
 * a Tailwind app (no stylesheet, your utilities) and a plain one (the stylesheet, themed by variables).
 */
export type ClassNames<Part extends string> = Partial<Record<Part, string>>;

/** Joins class names, skipping empty ones. */
export const cx = (...names: Array<string | false | null | undefined>): string => names.filter(Boolean).join(' ');

/** Returns `part => "ac-<block>-<part> <yours>"` for one component instance. */
export function partClasses<Part extends string>(block: string, classNames: ClassNames<Part> | undefined) {
  return (part: Part): string => cx(`ac-${block}-${part}`, classNames?.[part]);
}

/**
 * Text that only assistive technology reads. Inline, because it must stay hidden without the
 * stylesheet too (the kit is unstyled by default, but never shows screen-reader-only text).
 */
export const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
};
