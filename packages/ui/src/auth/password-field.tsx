// A password input with a show/hide switch (phones make typos easy to miss). The switch's own
// name avoids the word "password" so that a label lookup finds only the input.
import { useId, useState, type Ref } from 'react';

interface PasswordFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  autoComplete: 'current-password' | 'new-password';
  minLength?: number;
  hint?: string;
  autoFocus?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  testId?: string;
}

export function PasswordField({ label, value, onChange, autoComplete, minLength, hint, autoFocus, inputRef, testId }: PasswordFieldProps) {
  const id = useId();
  const [shown, setShown] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="password-row">
        <input
          id={id}
          ref={inputRef}
          type={shown ? 'text' : 'password'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete={autoComplete}
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          minLength={minLength}
          maxLength={1024}
          autoFocus={autoFocus}
          aria-describedby={hint ? `${id}-hint` : undefined}
          data-testid={testId}
        />
        <button type="button" className="btn reveal-btn" aria-pressed={shown} aria-controls={id} onClick={() => setShown((s) => !s)}>
          {shown ? 'Hide' : 'Show'}
        </button>
      </div>
      {hint && <span id={`${id}-hint`} className="muted small">{hint}</span>}
    </div>
  );
}
