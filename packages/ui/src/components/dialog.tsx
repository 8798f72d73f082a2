// A modal dialog on the native <dialog> element: focus moves in, Escape closes, focus returns.
import { useEffect, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  open: boolean;
  onClose(): void;
  children: ReactNode;
  actions?: ReactNode;
  wide?: boolean;
}

export function Dialog({ title, open, onClose, children, actions, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    }
    if (!open && d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
    }
  }, [open]);
  // Focus goes back to what opened the dialog, also when the dialog is unmounted rather than closed.
  useEffect(() => {
    if (!open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => opener?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}`}
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <h2 id="dialog-title">{title}</h2>
      <div className="dialog-body">{children}</div>
      {actions && <div className="dialog-actions">{actions}</div>}
    </dialog>
  );
}

interface ConfirmProps {
  title: string;
  open: boolean;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onClose(): void;
  children: ReactNode;
}

export function ConfirmDialog(p: ConfirmProps) {
  return (
    <Dialog
      title={p.title}
      open={p.open}
      onClose={p.onClose}
      actions={
        <>
          <button type="button" className="btn" onClick={p.onClose}>Cancel</button>
          <button type="button" className={`btn ${p.danger ? 'btn-danger' : 'btn-primary'}`} disabled={p.busy} onClick={p.onConfirm} data-testid="confirm">
            {p.confirmLabel}
          </button>
        </>
      }
    >
      {p.children}
    </Dialog>
  );
}
