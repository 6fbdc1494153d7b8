import { useQuery } from '@tanstack/react-query';
import { errorFromResponse } from '@aivah/credits';

// The example server's own endpoints (sign-in and the demo "agent"). They are not part of the
// credits API: the agent consumes credits on the server with the server key, as a real app would,
// and passes a 402 through as `application/problem+json` so the UI can offer to buy more.

/** How the example server is set up (`GET /demo/config`): what the screens must be honest about. */
export interface DemoConfig {
  payments: 'stripe' | 'emulator';
  /** Whether outbound webhooks (`balance.low`, …) are sent anywhere (`WEBHOOK_URL`). */
  webhooks: boolean;
  prices: { message: number; image: number; callHold: number; callPerSecond: number };
}

/** What the demo actions cost until the server's config arrives (the same numbers). */
export const DEFAULT_PRICES: DemoConfig['prices'] = { message: 5, image: 100, callHold: 300, callPerSecond: 2 };

export interface DemoUser {
  id: string;
  name: string;
  email: string;
}


async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
  // A failure (a 402 passed through from the credits API included) becomes the SDK's typed error, so
  // `@aivah/credits-react` shows the out-of-credits toast for it exactly as for the credits API itself.
  if (!response.ok) throw await errorFromResponse(response);
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : {};
  return body as T;
}

const post = <T,>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });

export const demoApi = {
  config: () => request<DemoConfig>('/demo/config'),
  clock: () => request<{ now: string; canAdvance: boolean }>('/demo/clock'),
  advanceClock: (days: number) => post<{ now: string; renewed: number; ended: number; warned: number }>('/demo/clock/advance', { days }),
  me: () => request<{ user: DemoUser | null }>('/demo/me'),
  signIn: (email: string, password: string) => post<{ user: DemoUser }>('/demo/sign-in', { email, password }),
  signOut: () => post<{ ok: true }>('/demo/sign-out'),
  chat: (message: string) => post<{ reply: string; cost: number; available: number }>('/demo/chat', { message }),
  generateImage: (prompt: string) => post<{ image: string; prompt: string; cost: number; available: number }>('/demo/generate-image', { prompt }),
  startCall: () => post<{ callId: string; held: number; ratePerSecond: number; maxSeconds: number }>('/demo/calls'),
  endCall: (callId: string, durationSeconds: number) =>
    post<{ callId: string; durationSeconds: number; captured: number; released: number; available: number }>(
      `/demo/calls/${encodeURIComponent(callId)}/end`,
      { durationSeconds },
    ),
};

/** The server's setup, fetched once per session. */
export function useDemoConfig(): DemoConfig | undefined {
  return useQuery({ queryKey: ['demo-config'], queryFn: demoApi.config, staleTime: Infinity }).data;
}

/**
 * What to tell people when a request failed: a dropped connection reads as one, not as the
 * browser's "Failed to fetch".
 */
export function failureText(error: Error): string {
  if (error instanceof TypeError || error.name === 'CreditsConnectionError' || error.name === 'CreditsTimeoutError') {
    return 'can’t reach Aivah right now. Check your connection and try again.';
  }
  return error.message;
}
