// A round face picture: a person's cover face, or one face. The cover is loaded by the face's own
// URL when it is known, so choosing another cover shows at once instead of a cached old picture.
import { useState } from 'react';
import type { Person } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { Icon } from '../components/icons.tsx';

export function personLabel(person: Pick<Person, 'name'>): string {
  return person.name.trim() || 'Unnamed person';
}

/** Without a size, the avatar fills its box (set in CSS). */
type AvatarProps = { size?: number; className?: string } & (
  | { person: Pick<Person, 'id' | 'name' | 'coverFaceId'>; faceId?: undefined }
  | { faceId: string; person?: undefined }
);

export function Avatar({ size, className, person, faceId }: AvatarProps) {
  const api = useApi();
  const face = faceId ?? person?.coverFaceId ?? null;
  const src = face
    ? api.fileUrl('getFaceThumbnail', { params: { id: face } })
    : api.fileUrl('getPersonThumbnail', { params: { id: person!.id } });
  const [failed, setFailed] = useState<string | null>(null);
  const initial = person?.name.trim().charAt(0).toUpperCase() ?? '';
  return (
    <span className={`avatar${className ? ` ${className}` : ''}`} style={size ? { width: size, height: size, fontSize: size * 0.42 } : undefined} aria-hidden="true">
      {failed === src ? (initial || <Icon name="person" size={size ? Math.round(size * 0.55) : 40} />) : (
        <img src={src} alt="" loading="lazy" decoding="async" draggable={false} onError={() => setFailed(src)} data-testid="avatar-img" />
      )}
    </span>
  );
}
