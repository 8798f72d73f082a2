// The app's icons: small stroked SVGs, decorative (the buttons around them carry the labels).

const PATHS = {
  photos: 'M4 5h16v14H4z M4 15l4-4 4 4 3-3 5 5 M15 9.5a1.5 1.5 0 1 0 0-.01',
  image: 'M4 5h16v14H4z M4 15l4-4 4 4 3-3 5 5',
  video: 'M3 6h13v12H3z M16 10l5-3v10l-5-3',
  play: 'M8 5l11 7-11 7z',
  pause: 'M7 5h3v14H7z M14 5h3v14h-3z',
  heart: 'M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z',
  'heart-filled': 'M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  archive: 'M3 4h18v4H3z M5 8v12h14V8 M10 12h4',
  unarchive: 'M3 4h18v4H3z M5 8v12h14V8 M12 18v-6 M9 14l3-3 3 3',
  trash: 'M4 7h16 M9 7V4h6v3 M6 7l1 13h10l1-13 M10 11v6 M14 11v6',
  restore: 'M4 12a8 8 0 1 0 2.3-5.6 M4 4v4h4',
  album: 'M4 4h12v16H4z M16 6h4v14H8 M7 14l2-2 2 2 2-3 3 3',
  folder: 'M3 6h6l2 2h10v11H3z',
  'folder-open': 'M3 6h6l2 2h8v3 M3 19l3-8h16l-3 8z M3 6v13',
  search: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13z M15.5 15.5L21 21',
  jobs: 'M4 6h10 M4 12h16 M4 18h7 M17 4v4 M20 16v4 M14 10v4',
  settings: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M19 12l2-1-1-3-2.2.2-1.5-1.5L16.5 4.5l-3-1-1 2h-1l-1-2-3 1 .2 2.2-1.5 1.5L4 8 3 11l2 1v0l-2 1 1 3 2.2-.2 1.5 1.5-.2 2.2 3 1 1-2h1l1 2 3-1-.2-2.2 1.5-1.5 2.2.2 1-3z',
  star: 'M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z',
  'star-filled': 'M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z',
  download: 'M12 4v11 M7 10l5 5 5-5 M5 20h14',
  info: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M12 11v6 M12 7.5v.5',
  close: 'M6 6l12 12 M18 6L6 18',
  'chevron-left': 'M15 5l-7 7 7 7',
  'chevron-right': 'M9 5l7 7-7 7',
  'chevron-down': 'M5 9l7 7 7-7',
  plus: 'M12 5v14 M5 12h14',
  minus: 'M5 12h14',
  menu: 'M4 7h16 M4 12h16 M4 17h16',
  sun: 'M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M12 2v2 M12 20v2 M4.9 4.9l1.4 1.4 M17.7 17.7l1.4 1.4 M2 12h2 M20 12h2 M4.9 19.1l1.4-1.4 M17.7 6.3l1.4-1.4',
  moon: 'M20 14.5A8 8 0 0 1 9.5 4 8 8 0 1 0 20 14.5z',
  keyboard: 'M3 6h18v12H3z M7 10h.01 M11 10h.01 M15 10h.01 M7 14h10',
  live: 'M12 14.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z M12 18a6 6 0 1 0 0-12 6 6 0 0 0 0 12z M12 22a10 10 0 1 0 0-20',
  edit: 'M4 20h4L19 9l-4-4L4 16z M13.5 6.5l4 4',
  cover: 'M4 4h16v16H4z M8 15l3-3 2 2 3-3 0 0 M8 8h.01',
  refresh: 'M20 12a8 8 0 1 1-2.3-5.6 M20 4v4h-4',
  location: 'M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z M12 12a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z',
  select: 'M4 4h6v6H4z M14 4h6v6h-6z M4 14h6v6H4z M14 17l2 2 4-4',
  people: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z M2.5 20a6.5 6.5 0 0 1 13 0 M16 4.3a3.5 3.5 0 0 1 0 6.4 M18 14.5a6.5 6.5 0 0 1 3.5 5.5',
  person: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M4.5 21a7.5 7.5 0 0 1 15 0',
  face: 'M4 8V5a1 1 0 0 1 1-1h3 M16 4h3a1 1 0 0 1 1 1v3 M20 16v3a1 1 0 0 1-1 1h-3 M8 20H5a1 1 0 0 1-1-1v-3 M9 10h.01 M15 10h.01 M9 15c1.7 1.3 4.3 1.3 6 0',
  eye: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  'eye-off': 'M3 3l18 18 M10.6 5.1A10.6 10.6 0 0 1 12 5c6.4 0 10 7 10 7a17 17 0 0 1-3.2 4.1 M6.6 6.6A17.4 17.4 0 0 0 2 12s3.6 7 10 7a9.7 9.7 0 0 0 5.4-1.6 M9.9 9.9a3 3 0 0 0 4.2 4.2',
  merge: 'M6 4v5a5 5 0 0 0 5 5h7 M18 4v3 M15 11l3 3-3 3 M6 20v-2',
  similar: 'M3 7h10v10H3z M11 3h10v10 M7 17v4h10',
  sparkle: 'M12 3l1.8 4.7L18.5 9.5l-4.7 1.8L12 16l-1.8-4.7L5.5 9.5l4.7-1.8z M19 15l.8 2.2L22 18l-2.2.8L19 21l-.8-2.2L16 18l2.2-.8z',
  'user-plus': 'M10 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M3 21a7 7 0 0 1 12-4.9 M19 14v6 M16 17h6',
  'user-x': 'M10 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M3 21a7 7 0 0 1 12-4.9 M17 15l4 4 M21 15l-4 4',
  upload: 'M12 15V4 M7 9l5-5 5 5 M5 19h14',
  'cloud-upload': 'M7 18H6a4 4 0 0 1-.6-8A6 6 0 0 1 17 8.5a4.5 4.5 0 0 1 1 8.9 M12 20v-8 M9 15l3-3 3 3',
  copy: 'M9 9h11v11H9z M5 15H4V4h11v1',
  key: 'M15 13a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M12.2 11.8L4 20 M7 17l2.5 2.5 M5 19l2 2',
  logout: 'M14 4h5v16h-5 M9 8l-4 4 4 4 M5 12h11',
  device: 'M7 3h10v18H7z M11 18h2',
  shield: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z',
  more: 'M5 12h.01 M12 12h.01 M19 12h.01',
  'open-external': 'M14 4h6v6 M20 4l-9 9 M18 14v6H4V6h6',
} as const;

export type IconName = keyof typeof PATHS;

const FILLED = new Set<IconName>(['heart-filled', 'star-filled', 'play']);

export function Icon({ name, size = 20, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={`icon${className ? ` ${className}` : ''}`}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill={FILLED.has(name) ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
