import { useState } from 'react';
import { CreditsAPIError } from '@aivah/credits';
import { demoApi, type DemoUser } from '../demo-api';

/** The demo sign-in: a cookie session for the demo user (the server prints the credentials). */
export function SignInPage({ onSignedIn }: { onSignedIn: (user: DemoUser) => void }) {
  const [email, setEmail] = useState('demo@aivah.dev');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      onSignedIn((await demoApi.signIn(email, password)).user);
    } catch (e) {
      setError(e instanceof CreditsAPIError ? (e.problem.detail ?? e.problem.title) : (e as Error).message);
      setPending(false);
    }
  }

  return (
    <main className="signin">
      <form className="card" onSubmit={submit} aria-labelledby="signin-title">
        <span className="brand-mark" aria-hidden="true">
          A
        </span>
        <h1 id="signin-title">Sign in to Aivah</h1>
        <p className="muted">Avatar chat with prepaid credits.</p>
        <p className="demo-creds">
          Demo account: <strong>demo@aivah.dev</strong> / <strong>demo</strong>
        </p>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        {error ? (
          <p className="error-text" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={pending} style={{ width: '100%', marginTop: 8 }}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
