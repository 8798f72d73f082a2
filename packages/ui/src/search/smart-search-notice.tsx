// Why searching by description is not available, in plain words, with the way out: turn machine
// learning or smart search on in Settings, or download the CLIP models here with progress.
import { Link } from 'react-router';
import type { MlStatus } from '@shoebox/core/contract';
import { ModelDownload } from '../components/model-download.tsx';
import { Icon } from '../components/icons.tsx';

export type SmartBlock = 'ml-off' | 'smart-off' | 'models-missing';

/** What stops smart search, from the status (or from what the search route answered). */
export function smartBlock(ml: MlStatus | undefined, answered: SmartBlock | null): SmartBlock | null {
  if (ml && !ml.settings.enabled) return 'ml-off';
  if (ml && !ml.settings.smartSearch) return 'smart-off';
  if (ml && !ml.smartSearch.ready) return 'models-missing';
  return answered;
}

export function clipModels(ml: MlStatus | undefined) {
  return (ml?.models ?? []).filter((m) => m.task.startsWith('clip-'));
}

const SETTINGS = '/settings#machine-learning';

export function SmartSearchNotice({ block, ml }: { block: SmartBlock; ml: MlStatus | undefined }) {
  if (block === 'ml-off' || block === 'smart-off') {
    return (
      <div className="notice notice-block" role="status" data-testid="smart-search-off">
        <Icon name="sparkle" />
        <div>
          <strong>{block === 'ml-off' ? 'Machine learning is switched off' : 'Smart search is switched off'}</strong>
          <p>Searching by description needs it. <Link to={SETTINGS}>Turn it on in Settings</Link>; the filters below work either way.</p>
        </div>
      </div>
    );
  }
  const models = clipModels(ml);
  const missing = models.filter((m) => m.state !== 'present');
  return (
    <div className="notice notice-block" role="status" data-testid="smart-search-unavailable">
      <Icon name="sparkle" />
      <div>
        <strong>Smart search needs its models</strong>
        <p>
          Searching by description runs on this computer with the CLIP models, which are not downloaded yet. Download them once
          (Shoebox checks each file); then it analyses your photos in the background and search gets better as it goes.
        </p>
        {missing.length > 0 ? (
          <ModelDownload models={models} testId="clip-download" />
        ) : (
          <p><Link to={SETTINGS}>See the models in Settings</Link></p>
        )}
      </div>
    </div>
  );
}
