// An on/off switch: a check box with the switch role, its label and a line explaining it.
import type { ReactNode } from 'react';

interface SwitchProps {
  label: string;
  description: ReactNode;
  checked: boolean;
  onChange(checked: boolean): void;
  disabled?: boolean;
  testId?: string;
}

export function Switch({ label, description, checked, onChange, disabled, testId }: SwitchProps) {
  return (
    <label className={`switch-row${disabled ? ' is-disabled' : ''}`}>
      <span className="switch-text">
        <span className="switch-label">{label}</span>
        <span className="muted small">{description}</span>
      </span>
      <input
        type="checkbox"
        role="switch"
        className="switch"
        checked={checked}
        aria-checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={testId}
      />
    </label>
  );
}
