// API keys for scripts and other apps: create one (its secret is shown once, with a copy button),
// see when each was last used, revoke. The secret lives only in the dialog's state: once the
// dialog closes, nothing in the app can show it again.
import { useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyInfo, CreatedApiKey } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { plainError } from '../api/errors.ts';
import { ConfirmDialog, Dialog } from '../components/dialog.tsx';
import { Icon } from '../components/icons.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { useToast } from '../components/toast.tsx';
import { dateLabel, relativeTime } from './account-format.ts';

/**
 * Copies text. The Clipboard API needs a secure context (not a LAN http:// address), so the older
 * copy command on the selected field is the fallback. Answers whether it worked.
 */
export async function copyText(text: string, field: HTMLInputElement | HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission): try the fallback.
  }
  if (!field) return false;
  field.focus();
  field.select();
  field.setSelectionRange(0, text.length);
  try {
    return typeof document.execCommand === 'function' && document.execCommand('copy');
  } catch {
    return false;
  }
}

function SecretDialog({ created, onClose }: { created: CreatedApiKey; onClose(): void }) {
  const field = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <Dialog
      title="Your new API key"
      open
      onClose={onClose}
      actions={<button type="button" className="btn btn-primary" onClick={onClose} data-testid="api-key-done">I have stored it</button>}
    >
      <p>
        This is the only time <strong>{created.apiKey.name}</strong> is shown. Copy it now and keep it somewhere safe;
        send it as the <code>x-api-key</code> header (or as a bearer token).
      </p>
      <div className="secret-row">
        <label className="sr-only" htmlFor="api-key-secret">API key</label>
        <textarea
          id="api-key-secret" ref={field} readOnly value={created.secret} rows={2} className="secret" spellCheck={false}
          data-testid="api-key-secret" onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="btn"
          onClick={() => void copyText(created.secret, field.current).then((ok) => setCopied(ok ? 'yes' : 'no'))}
          data-testid="api-key-copy"
        >
          <Icon name="copy" size={18} /> {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="muted small" role="status">
        {copied === 'yes' && 'Copied to the clipboard.'}
        {copied === 'no' && 'This browser does not allow copying here: the key is selected, copy it with your device’s copy command.'}
      </p>
    </Dialog>
  );
}

export function ApiKeysSection() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const keys = useQuery({ queryKey: ['listApiKeys'], queryFn: () => api.call('listApiKeys') });
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyInfo | null>(null);
  const create = useMutation({
    mutationFn: (keyName: string) => api.call('createApiKey', { body: { name: keyName } }),
    onSuccess: (answer) => {
      setName('');
      setCreated(answer);
    },
    onError: (e) => toast.error(plainError(e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ['listApiKeys'] }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.call('revokeApiKey', { params: { id } }),
    onSuccess: () => {
      toast.info(`Revoked the key ${revoking?.name ?? ''}`.trim());
      setRevoking(null);
    },
    onError: (e) => toast.error(plainError(e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ['listApiKeys'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate(name.trim());
  };
  return (
    <section className="card" aria-labelledby="account-keys">
      <h2 id="account-keys">API keys</h2>
      <p className="muted">For scripts and other apps that upload or read your library without your password.</p>
      {keys.error && <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />}
      {keys.isPending && <Loading label="Loading your API keys" />}
      {keys.data?.length === 0 && <p className="muted small">You have no API keys.</p>}
      <ul className="plain rows" data-testid="api-keys">
        {keys.data?.map((k) => (
          <li key={k.id} className="list-row" data-testid="api-key-row">
            <Icon name="key" />
            <div className="list-main">
              <div className="list-title">{k.name}</div>
              <div className="muted small">
                <code>{k.prefix}…</code> · created {dateLabel(k.createdAt)} · {k.lastUsedAt ? `last used ${relativeTime(k.lastUsedAt)}` : 'never used'}
              </div>
            </div>
            <button type="button" className="btn btn-small" onClick={() => setRevoking(k)} aria-label={`Revoke the key ${k.name}`} data-testid="revoke-api-key">
              Revoke
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form wrap" onSubmit={submit}>
        <label className="sr-only" htmlFor="api-key-name">Key name</label>
        <input id="api-key-name" placeholder="Name, e.g. backup script" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="btn btn-primary" disabled={create.isPending || !name.trim()}>
          <Icon name="plus" size={18} /> Create key
        </button>
      </form>
      {created && <SecretDialog created={created} onClose={() => setCreated(null)} />}
      <ConfirmDialog
        title="Revoke this key?"
        open={revoking !== null}
        confirmLabel="Revoke key"
        danger
        busy={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      >
        <p>Whatever uses <strong>{revoking?.name}</strong> stops working at once. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
