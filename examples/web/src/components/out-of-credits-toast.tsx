import { useBalance, useInsufficientCredits } from '@aivah/credits-react';
import { formatCredits } from '@aivah/credits';

/**
 * The "clear toast" of the seed when credits run out mid-conversation: what was needed, what is
 * left, and a way to buy more without leaving the conversation.
 */
export function OutOfCreditsToast() {
  const toast = useInsufficientCredits();
  const { available } = useBalance();
  // Credits can arrive while the toast is up (another tab bought some, an admin granted some):
  // then the blocked action can simply run again.
  const covered = toast.open && available !== undefined && available >= toast.required;
  return (
    <div className="toast-region">
      {toast.open ? (
        <div className="toast" role="alert" data-testid="out-of-credits-toast">
          <span className="toast-icon" aria-hidden="true">
            !
          </span>
          <p className="toast-title">{covered ? 'Credits added' : 'You’re out of credits'}</p>
          <p className="toast-body">
            {covered
              ? `You now have ${formatCredits(available)} — enough to continue.`
              : `This needs ${formatCredits(toast.required)} but only ${formatCredits(toast.available)} are available. Add credit to keep the agent going — it resumes with your next message.`}
          </p>
          <div className="toast-actions">
            {covered ? (
              <button type="button" className="btn btn-primary btn-sm" onClick={() => void toast.retry().catch(() => {})}>
                Retry
              </button>
            ) : (
              <button type="button" className="btn btn-primary btn-sm" onClick={() => toast.openBuyCredits()}>
                Add credit
              </button>
            )}
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => toast.dismiss()}>
              Dismiss
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
