import { useEffect, useRef, useState } from 'react';
import { Icon } from '../components/icons';
import { useMutation } from '@tanstack/react-query';
import { isInsufficientCreditsError } from '@aivah/credits';
import { useCreditsFormat } from '@aivah/credits-react';
import { useCreditsConnection, type CreditsConnection } from '@aivah/credits-react/ui';
import { DEFAULT_PRICES, demoApi, failureText, useDemoConfig } from '../demo-api';

interface Message {
  id: string;
  from: 'user' | 'agent' | 'system';
  text: string;
  image?: string;
  meta?: string;
}

const STORAGE_KEY = 'aivah-demo-chat';
const GREETING: Message = {
  id: 'greeting',
  from: 'agent',
  text: 'Hi, I’m Ava. Ask me anything, generate an image, or start a call. Messages, images and calls use credits — your balance is top right.',
};

/** What the agent's status line says, from whether the app can reach the server at all. */
const STATUS: Record<CreditsConnection, { text: string; tone: 'ok' | 'wait' | 'off' }> = {
  live: { text: 'Online', tone: 'ok' },
  polling: { text: 'Online', tone: 'ok' },
  connecting: { text: 'Connecting…', tone: 'wait' },
  reconnecting: { text: 'Reconnecting…', tone: 'wait' },
  offline: { text: 'Offline — can’t reach Aivah', tone: 'off' },
};

function loadMessages(): Message[] {
  try {
    const saved = sessionStorage.getItem(STORAGE_KEY);
    if (saved) return JSON.parse(saved) as Message[];
  } catch {
    /* a fresh conversation */
  }
  return [GREETING];
}

interface ActiveCall {
  id: string;
  startedAt: number;
  held: number;
  maxSeconds: number;
}
const CALL_KEY = 'aivah-demo-call';

function loadCall(): ActiveCall | null {
  try {
    return JSON.parse(sessionStorage.getItem(CALL_KEY) ?? 'null') as ActiveCall | null;
  } catch {
    return null;
  }
}

const newId = () => Math.random().toString(36).slice(2);
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/**
 * Avatar chat: the three ways the seed spends credits. A message (credits per message), an image
 * (a larger fixed cost) and a call (a hold, captured by duration when it ends). Each 402 opens the
 * out-of-credits toast through `@aivah/credits-react`; the unsent message stays in the composer so
 * the next send resumes the conversation.
 */
export function ChatPage() {
  const [messages, setMessages] = useState<Message[]>(loadMessages);
  const [draft, setDraft] = useState('');
  const [call, setCall] = useState<ActiveCall | null>(loadCall);
  const [now, setNow] = useState(Date.now());
  const listRef = useRef<HTMLOListElement>(null);
  const format = useCreditsFormat();
  const prices = useDemoConfig()?.prices ?? DEFAULT_PRICES;
  const connection = useCreditsConnection();
  const status = STATUS[connection];

  // The call runs on while the user looks at another page; coming back shows it again.
  useEffect(() => {
    if (call) sessionStorage.setItem(CALL_KEY, JSON.stringify(call));
    else sessionStorage.removeItem(CALL_KEY);
  }, [call]);

  useEffect(() => {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(messages.slice(-100)));
    listRef.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages]);

  const add = (message: Omit<Message, 'id'>) => setMessages((list) => [...list, { ...message, id: newId() }]);

  // networkMode 'always': offline, fail at once with a clear message (and keep the draft) instead of
  // TanStack's default of pausing silently while "Ava is typing…".
  const chat = useMutation({
    networkMode: 'always',
    mutationFn: (text: string) => demoApi.chat(text),
    onMutate: (text) => {
      add({ from: 'user', text });
      setDraft('');
    },
    onSuccess: (result, text) => {
      // A retry from the toast sends the kept message: the composer no longer needs it.
      setDraft((current) => (current === text ? '' : current));
      add({ from: 'agent', text: result.reply, meta: `−${format.credits(result.cost)}` });
    },
    onError: (error, text) => {
      // Keep what the user wrote: after buying credits, sending it again resumes the conversation.
      setDraft(text);
      add({
        from: 'system',
        text: isInsufficientCreditsError(error)
          ? 'Message not sent: not enough credits. Add credit, then send it again.'
          : `Message not sent: ${failureText(error)} Your message is kept below.`,
      });
    },
  });

  const image = useMutation({
    networkMode: 'always',
    mutationFn: (prompt: string) => demoApi.generateImage(prompt),
    onSuccess: (result) =>
      add({ from: 'agent', text: `Here is “${result.prompt}”.`, image: result.image, meta: `−${format.credits(result.cost)}` }),
    onError: (error) =>
      add({
        from: 'system',
        text: isInsufficientCreditsError(error) ? 'Image not generated: not enough credits.' : `Image not generated: ${failureText(error)}`,
      }),
  });

  const startCall = useMutation({
    networkMode: 'always',
    mutationFn: () => demoApi.startCall(),
    onSuccess: (result) => {
      setCall({ id: result.callId, startedAt: Date.now(), held: result.held, maxSeconds: result.maxSeconds });
      add({
        from: 'system',
        text: `Call started — ${format.credits(result.held)} held, ${format.credits(result.ratePerSecond)} per second (up to ${format.number(result.maxSeconds)} seconds).`,
      });
    },
    onError: (error) =>
      add({
        from: 'system',
        text: isInsufficientCreditsError(error) ? 'Call not started: not enough credits to reserve it.' : `Call not started: ${failureText(error)}`,
      }),
  });

  const endCall = useMutation({
    networkMode: 'always',
    mutationFn: (c: { id: string; seconds: number }) => demoApi.endCall(c.id, c.seconds),
    onSuccess: (result) => {
      setCall(null);
      add({
        from: 'system',
        text: `Call ended after ${clock(result.durationSeconds)} — ${format.credits(result.captured)} used, ${format.credits(result.released)} released.`,
      });
    },
    onError: (error) => add({ from: 'system', text: `Could not end the call: ${failureText(error)} The hold releases itself if it is not ended.` }),
  });

  const elapsed = call ? Math.floor((now - call.startedAt) / 1000) : 0;
  useEffect(() => {
    if (!call) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [call]);
  useEffect(() => {
    // The hold covers `maxSeconds`; hang up there rather than talk on credits nobody reserved.
    if (call && elapsed >= call.maxSeconds && !endCall.isPending) endCall.mutate({ id: call.id, seconds: call.maxSeconds });
  }, [call, elapsed, endCall]);

  function send(event: React.FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (text && !chat.isPending) chat.mutate(text);
  }

  return (
    <div className="chat">
      <div className="agent-header">
        <span className="avatar avatar-agent" aria-hidden="true">
          Ava
        </span>
        <div className="agent-title">
          <h2>Ava · Support agent</h2>
          <p className="agent-status" data-tone={status.tone} data-testid="agent-status">
            <span aria-hidden="true">●</span> {status.text}
            <span className="agent-prices"> · {format.credits(prices.message)} per message</span>
          </p>
        </div>
        <div className="agent-actions">
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => image.mutate(draft.trim() || 'A friendly robot waving hello')}
            disabled={image.isPending}
          >
            <Icon name="image" /> {image.isPending ? 'Generating…' : 'Generate image'}
            <span className="sr-only"> ({format.credits(prices.image)})</span>
          </button>
          {call ? (
            <button
              type="button"
              className="btn btn-danger btn-sm"
              onClick={() => endCall.mutate({ id: call.id, seconds: Math.max(1, elapsed) })}
              disabled={endCall.isPending}
            >
              <Icon name="stop" /> End call
            </button>
          ) : (
            <button type="button" className="btn btn-sm" onClick={() => startCall.mutate()} disabled={startCall.isPending}>
              <Icon name="phone" /> Start call
              <span className="sr-only"> (reserves {format.credits(prices.callHold)}, {format.credits(prices.callPerSecond)} per second)</span>
            </button>
          )}
        </div>
      </div>

      <ol className="messages" ref={listRef} tabIndex={0} aria-label="Conversation" aria-live="polite" data-testid="messages">
        {messages.map((m) => (
          <li key={m.id} className={`message ${m.from}`} data-from={m.from}>
            {m.from === 'system' ? null : (
              <span className={`avatar ${m.from === 'agent' ? 'avatar-agent' : 'avatar-user'}`} aria-hidden="true">
                {m.from === 'agent' ? 'Ava' : 'You'}
              </span>
            )}
            <div className="bubble">
              <span className="sr-only">{m.from === 'agent' ? 'Ava: ' : m.from === 'user' ? 'You: ' : ''}</span>
              {m.text}
              {m.image ? <img className="generated-image" src={m.image} alt={`Generated image: ${m.text}`} /> : null}
              {m.meta ? <div className="bubble-meta num">{m.meta}</div> : null}
            </div>
          </li>
        ))}
        {chat.isPending ? (
          <li className="message agent">
            <span className="avatar avatar-agent" aria-hidden="true">
              Ava
            </span>
            <div className="bubble muted">Ava is typing…</div>
          </li>
        ) : null}
      </ol>

      <div>
        {call ? (
          <div className="call-banner" role="status" data-testid="call-banner">
            <Icon name="phone" />
            <span>
              On a call with Ava · <span className="num">{clock(elapsed)}</span> · {format.credits(call.held)} held
            </span>
          </div>
        ) : null}
        <form className="composer" onSubmit={send}>
          <label htmlFor="composer" className="sr-only">
            Message Ava
          </label>
          <input
            id="composer"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="Message Ava…"
            autoComplete="off"
          />
          <button type="submit" className="btn btn-primary" disabled={!draft.trim() || chat.isPending}>
            Send
          </button>
        </form>
        <p className="cost-hint">
          {format.credits(prices.message)} per message · {format.credits(prices.image)} per image · calls{' '}
          {format.credits(prices.callPerSecond)} per second ({format.credits(prices.callHold)} held while on a call)
        </p>
      </div>
    </div>
  );
}
