// The Content-Security-Policy of the app's pages (shoebox://app). Everything comes from the app's
// own origin; thumbhash placeholders are data: URLs and object URLs may show media. Styles allow
// 'unsafe-inline' because the built UI injects one <style> element (react-zoom-pan-pinch's
// stylesheet) and sets style attributes; scripts stay strictly 'self' (the build has no inline
// script and no eval).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "worker-src 'self'",
].join('; ');
