// The desktop app's first run: what Shoebox does with your folders, and the native folder picker.
// Once a folder is added the timeline opens and fills as the scan finds photos; a folder that is
// refused (it overlaps one already there, it is gone) says why here, or as a toast once the
// timeline has opened for the others.
import { useState } from 'react';
import { AuthFrame } from '../auth/auth-frame.tsx';
import { useToast } from '../components/toast.tsx';
import type { AddFoldersOutcome, useAddFolders } from './add-folders.ts';

interface WelcomeProps {
  addFolders: ReturnType<typeof useAddFolders>;
  /** At least one folder was added: on to the timeline. */
  onAdded(): void;
  /** Into the app without folders (they can be added in Settings, or from the menu). */
  onSkip(): void;
}

export function WelcomePage({ addFolders, onAdded, onSkip }: WelcomeProps) {
  const toast = useToast();
  const [failed, setFailed] = useState<AddFoldersOutcome['failed']>([]);
  const choose = async () => {
    setFailed([]);
    const outcome = await addFolders.run({ onAdded });
    if (outcome.added.length > 0) for (const f of outcome.failed) toast.error(`${f.path}: ${f.message}`);
    else setFailed(outcome.failed);
  };
  return (
    <AuthFrame title="Welcome to Shoebox">
      <div className="welcome stack" data-testid="welcome">
        <p>
          Shoebox puts all your photos and videos in one timeline, finds the people in them and lets you search them by
          what they show. Everything happens on this computer: nothing is uploaded.
        </p>
        <ul className="welcome-points">
          <li>Choose the folders where your photos live. Shoebox reads them where they are and never moves, renames or changes a file.</li>
          <li>Photos you add to those folders later appear by themselves.</li>
          <li>Faces and smart search are worked out in the background; the timeline fills as Shoebox goes.</li>
        </ul>
        {failed.length > 0 && (
          <div className="form-error" role="alert" data-testid="welcome-errors">
            <p>{failed.length === 1 ? 'This folder could not be added:' : 'These folders could not be added:'}</p>
            <ul>
              {failed.map((f) => <li key={f.path}><strong>{f.path}</strong>: {f.message}</li>)}
            </ul>
          </div>
        )}
        <button type="button" className="btn btn-primary btn-block" disabled={addFolders.busy} onClick={() => void choose()} data-testid="welcome-choose" autoFocus>
          {addFolders.busy ? 'Adding folders…' : 'Choose folders…'}
        </button>
        <button type="button" className="welcome-skip" onClick={onSkip} data-testid="welcome-skip">Not now</button>
      </div>
    </AuthFrame>
  );
}
