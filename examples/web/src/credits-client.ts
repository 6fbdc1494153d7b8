import { createCreditsClient } from '@aivah/credits';

/**
 * The browser's credits client. No key: the example server signs the demo user in with an
 * HttpOnly session cookie, which same-origin requests (and the balance stream) carry by
 * themselves, so no secret ever reaches this bundle.
 */
export const creditsClient = createCreditsClient({ baseUrl: window.location.origin });
