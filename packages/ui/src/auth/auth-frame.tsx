// The frame of the screens shown before the app: the brand over one centred card, sized for a
// phone first (full width there, a card on larger screens).
import type { ReactNode } from 'react';

export function AuthFrame({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <main className="auth" id="main">
      <div className="auth-card">
        <div className="auth-brand">
          <img src="./favicon.svg" alt="" width={40} height={40} />
          <span>Shoebox</span>
        </div>
        {title && <h1 className="auth-title">{title}</h1>}
        {children}
      </div>
    </main>
  );
}
