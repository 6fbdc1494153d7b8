import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { Icon } from './components/icons';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { CreditsProvider } from '@aivah/credits-react';
import { creditsClient } from './credits-client';
import { demoApi, type DemoUser } from './demo-api';
import { Link, usePathname } from './router';
import { BalancePill } from './components/balance-pill';
import { BuyCreditsDialog } from './components/buy-credits-dialog';
import { OutOfCreditsToast } from './components/out-of-credits-toast';
import { UserMenu } from './components/user-menu';
import { ChatPage } from './pages/chat';
import { PaymentPage } from './pages/payment';
import { PlansPage } from './pages/plans';
import { LedgerPage } from './pages/ledger';
import { AlertsPage } from './pages/alerts';
import { SignInPage } from './pages/sign-in';
import { useOpenBillingPortal } from './billing';

// The charts library is the heaviest dependency: load it only when Agent Analytics opens.
const AnalyticsPage = lazy(() => import('./pages/analytics').then((m) => ({ default: m.AnalyticsPage })));

const PAGES: Record<string, { title: string; render: () => ReactNode }> = {
  '/': { title: 'Avatar chat', render: () => <ChatPage /> },
  '/payment': { title: 'Payment', render: () => <PaymentPage /> },
  '/plans': { title: 'Plans', render: () => <PlansPage /> },
  '/insights/analytics': { title: 'Insights', render: () => <AnalyticsPage /> },
  '/ledger': { title: 'Credit ledger', render: () => <LedgerPage /> },
  '/settings/alerts': { title: 'Threshold alerts', render: () => <AlertsPage /> },
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

function Shell({ user, onSignOut }: { user: DemoUser; onSignOut: () => void }) {
  const pathname = usePathname();
  const page = PAGES[pathname] ?? { title: 'Not found', render: () => <NotFound /> };
  const billing = useOpenBillingPortal();

  useEffect(() => {
    document.title = `${page.title} · Aivah`;
  }, [page.title]);

  return (
    <div className="app">
      <a className="sr-only" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
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
          <div className="nav-section" id="nav-insights">
            Insights
          </div>
          <Link href="/insights/analytics">
            <Icon name="chart" /> Agent Analytics
          </Link>
          <Link href="/ledger">
            <Icon name="ledger" /> Credit ledger
          </Link>
          <Link href="/settings/alerts">
            <Icon name="bell" /> Threshold alerts
          </Link>
          <div className="nav-section">Account</div>
          <Link href="/plans">
            <Icon name="star" /> Plans
          </Link>
          <a
            href="/billing"
            onClick={(event) => {
              event.preventDefault();
              void billing.open();
            }}
          >
            <Icon name="card" /> Billing
          </a>
        </nav>
        <div className="sidebar-spacer" />
        <UserMenu user={user} onSignOut={onSignOut} />
      </aside>
      <div className="main">
        <header className="topbar">
          <h1>{page.title}</h1>
          <BalancePill />
        </header>
        <main id="main" tabIndex={-1}>
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
