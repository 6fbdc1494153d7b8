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

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal on the native `<dialog>`: `showModal()` makes the rest of the page inert and puts it in
 * the top layer, Escape closes it (the `cancel` event), and focus returns to whatever opened it.
 * Tab also wraps inside the dialog, so it never wanders into the browser's own UI.
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
    if (event.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked && el.form?.querySelector(`input[name="${el.name}"]:checked`)),
    );
    // Tab past the last item goes to the first, Shift+Tab before the first to the last.
    const first = items[0];
    const last = items[items.length - 1];
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
