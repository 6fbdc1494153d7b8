import type { CSSProperties } from 'react';
import { useCreditsFormat, type CreditsFormat, type CreditsHookOptions } from '@aivah/credits-react';

/**
 * Class names per part of a component: every element the kit renders has a stable default class
 * (`ac-<component>-<part>`, what `ui.css` styles) and takes yours on top, so the same component fits
 * a Tailwind app (no stylesheet, your utilities) and a plain one (the stylesheet, themed by variables).
 */
export type ClassNames<Part extends string> = Partial<Record<Part, string>>;

/** Joins class names, skipping empty ones. */
export const cx = (...names: Array<string | false | null | undefined>): string => names.filter(Boolean).join(' ');

/** The props every component shares: hook options, a locale, its text and its part classes. */
export interface KitProps<Text, Part extends string> extends CreditsHookOptions {
  text?: Partial<Text> | undefined;
  classNames?: ClassNames<Part> | undefined;
  locale?: string | undefined;
}

/** What {@link useKit} gives a component. */
export interface Kit<Text, Part extends string> {
  /** Your text over the English defaults. */
  text: Text;
  /** The options to hand the hooks: the component's client, query client and locale. */
  options: CreditsHookOptions & { locale?: string | undefined };
  /** The formatters of the component's locale. */
  format: CreditsFormat;
  /** `part => "ac-<block>-<part> <yours>"`. */
  part: (part: Part) => string;
}

/** The start every component shares: its text, the hook options, the formatters and the part classes. */
export function useKit<Text, Part extends string>(props: KitProps<Text, Part>, defaults: Text, block: string): Kit<Text, Part> {
  const options = { client: props.client, queryClient: props.queryClient, locale: props.locale };
  return {
    text: { ...defaults, ...props.text },
    options,
    format: useCreditsFormat(options),
    part: (part) => cx(`ac-${block}-${part}`, props.classNames?.[part]),
  };
}

/**
 * Text that only assistive technology reads. Inline, because it must stay hidden without the
 * stylesheet too (the kit is unstyled by default, but never shows screen-reader-only text). The clip
 * hides padding and borders too.
 */
export const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
};
