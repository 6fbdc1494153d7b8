import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

// A router of a few lines is enough for six pages: the History API plus one event.
// (A real app would likely use react-router or TanStack Router; nothing here depends on that.)

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Goes to `to` (a path with an optional query) without reloading the page. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

/** The current `location.pathname`, re-rendering on navigation. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname, () => '/');
}

/** The current `location.search` as `URLSearchParams`. */
export function useSearch(): URLSearchParams {
  const search = useSyncExternalStore(subscribe, () => location.search, () => '');
  return new URLSearchParams(search);
}

/** An `<a>` that navigates in-app on a plain left click and behaves like a link otherwise. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const pathname = usePathname();
  const current = pathname === href.split('?')[0];
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  }
  return <a href={href} aria-current={current ? 'page' : undefined} onClick={handleClick} {...rest} />;
}
