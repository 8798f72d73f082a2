// Settings, machine learning: the switches (all of it, faces, smart search), how faces are grouped
// into people, and the models with their state, size, licence and download.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { MlSettings, MlSettingsPatch, MlStatus, ModelStatus } from '@shoebox/core/contract';
import { keys, useMlStatus } from '../api/queries.ts';
import { useRouteMutation } from '../api/mutations.ts';
import { ModelDownload } from '../components/model-download.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { Switch } from '../components/switch.tsx';
import { bytesLabel, countLabel } from '../timeline/format.ts';

const TASKS: Record<ModelStatus['task'], string> = {
  'face-detection': 'Finds faces',
  'face-embedding': 'Tells faces apart',
  'clip-vision': 'Smart search: reads photos',
  'clip-text': 'Smart search: reads your words',
  'clip-tokenizer': 'Smart search: vocabulary',
};

const STATES: Record<ModelStatus['state'], string> = {
  present: 'Ready',
  missing: 'Not downloaded',
  partial: 'Partly downloaded',
  corrupt: 'Damaged: download again',
};

type Grouping = Pick<MlSettings, 'minFaceScore' | 'minFaceSize' | 'personMatch' | 'minFacesForPerson'>;

const LIMITS: Record<keyof Grouping, { min: number; max: number; step: number }> = {
  minFaceScore: { min: 0.3, max: 0.99, step: 0.01 },
  personMatch: { min: 0.1, max: 0.95, step: 0.01 },
  minFaceSize: { min: 8, max: 400, step: 1 },
  minFacesForPerson: { min: 1, max: 50, step: 1 },
};

function grouping(s: MlSettings): Grouping {
  return { minFaceScore: s.minFaceScore, minFaceSize: s.minFaceSize, personMatch: s.personMatch, minFacesForPerson: s.minFacesForPerson };
}

export function validGrouping(g: Grouping): boolean {
  return (Object.keys(LIMITS) as (keyof Grouping)[]).every((k) => Number.isFinite(g[k]) && g[k] >= LIMITS[k].min && g[k] <= LIMITS[k].max
    && (LIMITS[k].step < 1 || Number.isInteger(g[k])));
}

function Slider({ name, label, help, value, onChange, format }: {
  name: keyof Grouping; label: string; help: string; value: number; onChange(v: number): void; format(v: number): string;
}) {
  const l = LIMITS[name];
  return (
    <label className="field setting-field">
      <span>{label} <output className="setting-value">{format(value)}</output></span>
      <input type="range" min={l.min} max={l.max} step={l.step} value={value} onChange={(e) => onChange(Number(e.target.value))} data-testid={`ml-${name}`} />
      <small className="muted">{help}</small>
    </label>
  );
}

function Whole({ name, label, help, value, onChange, unit }: {
  name: keyof Grouping; label: string; help: string; value: number; onChange(v: number): void; unit: string;
}) {
  const l = LIMITS[name];
  return (
    <label className="field setting-field">
      <span>{label}</span>
      <span className="with-unit">
        <input type="number" min={l.min} max={l.max} step={1} value={Number.isFinite(value) ? value : ''} onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))} data-testid={`ml-${name}`} />
        {unit}
      </span>
      <small className="muted">{help} ({l.min}–{l.max})</small>
    </label>
  );
}

function GroupingForm({ settings, save, busy }: { settings: MlSettings; save(patch: MlSettingsPatch): void; busy: boolean }) {
  const [draft, setDraft] = useState(() => grouping(settings));
  const saved = grouping(settings);
  const savedKey = JSON.stringify(saved);
  useEffect(() => setDraft(JSON.parse(savedKey) as Grouping), [savedKey]);
  const dirty = JSON.stringify(draft) !== savedKey;
  const set = (k: keyof Grouping) => (v: number) => setDraft((d) => ({ ...d, [k]: v }));
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  return (
    <form className="stack grouping" onSubmit={(e) => { e.preventDefault(); if (validGrouping(draft)) save(draft); }} aria-labelledby="grouping-title">
      <h3 id="grouping-title">Face grouping</h3>
      <div className="settings-grid">
        <Slider name="minFaceScore" label="Face detection certainty" value={draft.minFaceScore} onChange={set('minFaceScore')} format={pct}
          help="How sure Shoebox must be that it found a face. Higher skips doubtful finds (and some real faces in profile or shadow)." />
        <Slider name="personMatch" label="How alike faces must be" value={draft.personMatch} onChange={set('personMatch')} format={pct}
          help="A face joins a person when it is at least this similar. Higher keeps people apart (more, smaller groups); lower groups more eagerly." />
        <Whole name="minFaceSize" label="Smallest face" unit="px" value={draft.minFaceSize} onChange={set('minFaceSize')}
          help="Faces smaller than this in the preview are ignored: crowds in the background, posters" />
        <Whole name="minFacesForPerson" label="Faces to start a person" unit="faces" value={draft.minFacesForPerson} onChange={set('minFacesForPerson')}
          help="How many similar faces it takes to start a new person; higher leaves out people seen only once" />
      </div>
      <p className="muted small">
        New values apply to photos processed from now on. To group every face found so far with them, use “Re-group faces” on
        the <Link to="/people">People</Link> page.
      </p>
      <div className="row-actions">
        <button type="submit" className="btn btn-primary" disabled={!dirty || !validGrouping(draft) || busy} data-testid="ml-save">Save grouping</button>
        <button type="button" className="btn" disabled={!dirty} onClick={() => setDraft(saved)}>Undo changes</button>
      </div>
    </form>
  );
}

function Models({ ml }: { ml: MlStatus }) {
  return (
    <>
      <h3>Models</h3>
      <p className="muted small">Kept in <code className="path" data-testid="models-dir">{ml.modelsDir}</code>. They run on this computer; nothing is sent anywhere.</p>
      <ul className="models" data-testid="models">
        {ml.models.map((m) => (
          <li key={m.id} className="model-row" data-testid="model-row" data-model-id={m.id}>
            <div className="model-main">
              <strong>{m.name}</strong> <span className="muted small">{TASKS[m.task]}</span>
              <div className="muted small">{bytesLabel(m.bytes)} · {m.license}</div>
            </div>
            <div className="model-status">
              <span className={`model-state is-${m.state}`} data-testid="model-state">{STATES[m.state]}</span>
              {m.loaded && <span className="pill">in use</span>}
            </div>
            {m.state !== 'present' && <div className="model-action"><ModelDownload models={[m]} /></div>}
          </li>
        ))}
      </ul>
    </>
  );
}

export function MlSettingsSection() {
  const ml = useMlStatus();
  const qc = useQueryClient();
  const update = useRouteMutation('updateMlSettings', () => 'Machine learning settings saved');
  const save = (patch: MlSettingsPatch) =>
    update.mutate({ body: patch }, { onSuccess: (settings) => qc.setQueryData<MlStatus>(keys.ml(), (old) => old && { ...old, settings }) });
  // While a change is on its way, the switches show it.
  const s = ml.data && { ...ml.data.settings, ...(update.isPending ? (update.variables?.body ?? {}) : {}) };
  return (
    <section className="card" aria-labelledby="machine-learning" data-testid="ml-settings">
      <h2 id="machine-learning" tabIndex={-1}>Machine learning</h2>
      <p className="muted">Shoebox finds faces and reads photos for smart search on this computer, in the background.</p>
      {ml.error && <ErrorState error={ml.error} onRetry={() => void ml.refetch()} />}
      {ml.isPending && <Loading label="Loading the machine learning settings" />}
      {ml.data && s && (
        <>
          <div className="switches">
            <Switch label="Machine learning" testId="ml-enabled" checked={s.enabled} onChange={(v) => save({ enabled: v })}
              description="Off stops new face and smart search work; what was found stays." />
            <Switch label="Faces and people" testId="ml-faces" checked={s.faces} disabled={!s.enabled} onChange={(v) => save({ faces: v })}
              description={ml.data.faces.ready ? 'Find faces and group them into people.' : 'Find faces and group them into people. Its models are not downloaded yet (below).'} />
            <Switch label="Smart search" testId="ml-smart" checked={s.smartSearch} disabled={!s.enabled} onChange={(v) => save({ smartSearch: v })}
              description={ml.data.smartSearch.ready
                ? `Search by description and find similar photos; ${countLabel(ml.data.smartSearch.indexed, 'photo')} analysed so far.`
                : 'Search by description and find similar photos. Its models are not downloaded yet (below).'} />
          </div>
          <GroupingForm settings={ml.data.settings} save={save} busy={update.isPending} />
          <Models ml={ml.data} />
        </>
      )}
    </section>
  );
}
