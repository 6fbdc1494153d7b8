import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { CreditsProvider, useBuyCreditsDialog } from '@aivah/credits-react';
import { BalancePill, BuyCreditsDialog, LowBalanceNotice, OutOfCreditsToast } from '@aivah/credits-react/ui';
import { Icon } from './components/icons';
import { ExpiryNotice } from './components/expiry-notice';
import { UserMenu } from './components/user-menu';
import { creditsClient } from './credits-client';
import { demoApi, type DemoUser } from './demo-api';
import { Link, usePathname } from './router';
import { ChatPage } from './pages/chat';
import { PaymentPage } from './pages/payment';
import { PlansPage } from './pages/plans';
import { LedgerPage } from './pages/ledger';
import { AlertsPage } from './pages/alerts';
import { AutoTopUpNoticeBar, AutoTopUpPage } from './pages/auto-top-up';
import { BillingPage } from './pages/billing';
import { SignInPage } from './pages/sign-in';

// The charts library is the heaviest dependency: load it only when Agent Analytics opens.
const AnalyticsPage = lazy(() => import('./pages/analytics').then((m) => ({ default: m.AnalyticsPage })));

const PAGES: Record<string, { title: string; render: () => ReactNode }> = {
  '/': { title: 'Avatar chat', render: () => <ChatPage /> },
  '/payment': { title: 'Payment', render: () => <PaymentPage /> },
  '/plans': { title: 'Plans', render: () => <PlansPage /> },
  '/insights/analytics': { title: 'Agent Analytics', render: () => <AnalyticsPage /> },
  '/ledger': { title: 'Credit ledger', render: () => <LedgerPage /> },
  '/settings/alerts': { title: 'Threshold alerts', render: () => <AlertsPage /> },
  '/settings/auto-top-up': { title: 'Auto top-up', render: () => <AutoTopUpPage /> },
  '/billing': { title: 'Billing', render: () => <BillingPage /> },
};

/** Signs the demo user in (cookie session), then renders the product. */
export function App({ queryClient }: { queryClient: QueryClient }) {
  const [user, setUser] = useState<DemoUser | null | undefined>(undefined);

  useEffect(() => {
    demoApi.me().then(
      (r) => setUser(r.user),
      () => setUser(null),
    );
  }, []);

  if (user === undefined) return <div className="signin" aria-busy="true" />;
  if (user === null) return <SignInPage onSignedIn={setUser} />;

  return (
    <QueryClientProvider client={queryClient}>
      <CreditsProvider client={creditsClient} queryClient={queryClient}>
        <Shell
          user={user}
          onSignOut={async () => {
            await demoApi.signOut();
            queryClient.clear();
            setUser(null);
          }}
        />
      </CreditsProvider>
    </QueryClientProvider>
  );
}

/**
 * The layout: side navigation with the user menu at the bottom, a top bar with the live balance pill
 * top right. Below 768 px the navigation becomes a drawer behind a Menu button, and the pill stays
 * in the top bar.
 */
function Shell({ user, onSignOut }: { user: DemoUser; onSignOut: () => void }) {
  const pathname = usePathname();
  const page = PAGES[pathname] ?? { title: 'Not found', render: () => <NotFound /> };
  const [navOpen, setNavOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const sidebar = useRef<HTMLElement>(null);

  useEffect(() => {
    document.title = `${page.title} · Aivah`;
  }, [page.title]);
  // A route change, or the Buy Credits dialog opening over it, closes the drawer.
  const buyDialogOpen = useBuyCreditsDialog().open;
  useEffect(() => setNavOpen(false), [pathname, buyDialogOpen]);
  useEffect(() => {
    if (!navOpen) return;
    sidebar.current?.querySelector<HTMLElement>('nav a')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setNavOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [navOpen]);

  return (
    <div className="app" data-nav-open={navOpen || undefined}>
      <a className="sr-only skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar" id="sidebar" ref={sidebar} aria-label="Navigation">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            A
          </span>
          Aivah
        </div>
        <nav className="nav" aria-label="Main">
          <Link href="/">
            <Icon name="chat" /> Avatar chat
          </Link>
          <div className="nav-section">Insights</div>
          <Link href="/insights/analytics">
            <Icon name="chart" /> Agent Analytics
          </Link>
          <Link href="/ledger">
            <Icon name="ledger" /> Credit ledger
          </Link>
          <Link href="/settings/alerts">
            <Icon name="bell" /> Threshold alerts
          </Link>
          <Link href="/settings/auto-top-up">
            <Icon name="card" /> Auto top-up
          </Link>
          <div className="nav-section">Account</div>
          <Link href="/plans">
            <Icon name="star" /> Plans
          </Link>
          <Link href="/billing">
            <Icon name="card" /> Billing
          </Link>
        </nav>
        <div className="sidebar-spacer" />
        <UserMenu user={user} onSignOut={onSignOut} />
      </aside>
      <div className="nav-backdrop" aria-hidden="true" onClick={() => setNavOpen(false)} />
      <div className="main">
        <header className="topbar">
          <button
            ref={menuButton}
            type="button"
            className="menu-toggle icon-button"
            aria-controls="sidebar"
            aria-expanded={navOpen}
            onClick={() => setNavOpen((open) => !open)}
          >
            <Icon name={navOpen ? 'close' : 'menu'} />
            <span className="sr-only">Menu</span>
          </button>
          <h1>{page.title}</h1>
          <BalancePill data-testid="balance-pill" />
        </header>
        <main id="main" tabIndex={-1}>
          <AutoTopUpNoticeBar />
          <LowBalanceNotice className="page-notice" />
          <ExpiryNotice className="page-notice" />
          <Suspense fallback={<div className="content muted">Loading…</div>}>{page.render()}</Suspense>
        </main>
      </div>
      <BuyCreditsDialog />
      <OutOfCreditsToast />
    </div>
  );
}

function NotFound() {
  return (
    <div className="content">
      <div className="card center-card">
        <h2>Page not found</h2>
        <div className="actions">
          <Link className="btn btn-primary" href="/">
            Home
          </Link>
        </div>
      </div>
    </div>
  );
}
