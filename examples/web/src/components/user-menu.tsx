import { useEffect, useId, useRef, useState } from 'react';
import { Icon } from './icons';
import { useBalance, useBuyCreditsDialog, useCreditsFormat } from '@aivah/credits-react';
import { AvailableCredits } from '@aivah/credits-react/ui';
import type { DemoUser } from '../demo-api';
import { navigate } from '../router';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

/**
 * The user menu at the bottom of the side navigation: Available Credits, then **Add credit**
 * (the Buy Credits dialog), Billing (purchases, receipts and the billing portal) and Sign out. A menu button in the WAI-ARIA sense: arrow keys
 * move between items, Escape closes and returns focus to the button.
 */
export function UserMenu({ user, onSignOut }: { user: DemoUser; onSignOut: () => void }) {
  const [open, setOpen] = useState(false);
  const balance = useBalance();
  const format = useCreditsFormat();
  const dialog = useBuyCreditsDialog();
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  const items = () => [...(panelRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!panelRef.current?.contains(event.target as Node) && !buttonRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  function close(focusButton = true) {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  }

  function onMenuKeyDown(event: React.KeyboardEvent) {
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      list[(index + step + list.length) % list.length]?.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      (event.key === 'Home' ? list[0] : list[list.length - 1])?.focus();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  }

  return (
    <div className="user-menu">
      {open ? (
        <div className="menu" ref={panelRef} onKeyDown={onMenuKeyDown}>
          {/* Add credit is the menu's own item below, so the line's button is off. */}
          <AvailableCredits className="menu-balance" addCredit={false} data-testid="menu-available-credits" />
          <div role="menu" id={menuId} aria-label="Account">
            <button
              type="button"
              role="menuitem"
              onClick={() => {
                // Focus goes back to the menu button first, so the dialog returns it there.
                close();
                dialog.setOpen(true);
              }}
            >
              <Icon name="plus" /> Add credit
            </button>
            <button
              type="button"
              role="menuitem"
              onClick={() => {
                close(false);
                navigate('/billing');
              }}
            >
              <Icon name="card" /> Billing
            </button>
            <button
              type="button"
              role="menuitem"
              onClick={() => {
                close(false);
                onSignOut();
              }}
            >
              <Icon name="logout" /> Sign out
            </button>
          </div>
        </div>
      ) : null}
      <button
        ref={buttonRef}
        type="button"
        className="user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid="user-menu-button"
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <span className="avatar avatar-user" aria-hidden="true">
          {initials(user.name)}
        </span>
        <span>
          <span className="user-name">{user.name}</span>
          <br />
          <span className="user-credits num" data-testid="sidebar-available-credits">
            {balance.available === undefined ? '…' : format.credits(balance.available)} available
          </span>
        </span>
      </button>
    </div>
  );
}
