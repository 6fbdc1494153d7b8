import { useState } from 'react';
import { creditsClient } from './credits-client';

/** Opens the billing portal (Stripe's, or the emulator's page offline) for payment methods and invoices. */
export function useOpenBillingPortal() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  return {
    pending,
    error,
    async open() {
      setPending(true);
      setError(null);
      try {
        const session = await creditsClient.billingPortal.create('me', { returnUrl: window.location.href });
        window.location.assign(session.url);
      } catch (e) {
        setError(e as Error);
        setPending(false);
      }
    },
  };
}
