import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

/** Props of {@link Modal}. */
export interface ModalProps {
  open: boolean;
  onClose: () => void;
  /** Id of the element naming the dialog (its heading). */
  labelledBy: string;
  describedBy?: string;
  className: string;
  /** Rendered only while open, so forms start fresh each time. */
  children: ReactNode;
}

/**
 * A modal on the native `<dialog>`: `showModal()` makes the rest of the page inert and puts it in
 * the top layer, Escape closes it (the `cancel` event), and focus returns to whatever opened it.
 * Tab also wraps inside the dialog, so it never wanders into the browser's own UI. Its content
 * starts and ends with a button (the Buy Credits form does).
 */
export function Modal({ open, onClose, labelledBy, describedBy, className, children }: ModalProps): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
      const back = opener.current;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    }
  }, [open]);

  // Unmounted while open (a route change): leave no modal behind.
  useEffect(() => () => ref.current?.close(), []);

  function onKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== 'Tab') return;
    // The dialog's first and last controls are buttons (Close in the header, the footer's actions;
    // the radios sit between them), so the enabled buttons mark both ends. Tab past the last goes to
    // the first, Shift+Tab before the first to the last.
    const buttons = ref.current!.querySelectorAll('button:not(:disabled)');
    const first = buttons[0] as HTMLElement | undefined;
    const last = buttons[buttons.length - 1] as HTMLElement | undefined;
    const [edge, next] = event.shiftKey ? [first, last] : [last, first];
    if (edge && document.activeElement === edge) {
      event.preventDefault();
      next!.focus();
    }
  }

  return (
    <dialog
      ref={ref}
      className={className}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={onKeyDown}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> element itself, outside its box
        // (a click on its own padding lands there too, inside the box). Keyboard "clicks" have no position.
        const dialog = ref.current;
        if (event.target !== dialog || !dialog || event.detail === 0) return;
        const r = dialog.getBoundingClientRect();
        if (event.clientX < r.left || event.clientX > r.right || event.clientY < r.top || event.clientY > r.bottom) onClose();
      }}
    >
      {open ? children : null}
    </dialog>
  );
}
