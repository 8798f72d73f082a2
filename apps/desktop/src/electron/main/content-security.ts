// The Content-Security-Policies of shoebox://app: the app's pages', and the files'. For the pages,
// everything comes from the app's own origin; thumbhash placeholders are data: URLs and object
// URLs may show media. Styles allow 'unsafe-inline' because the built UI injects one <style>
// element (react-zoom-pan-pinch's stylesheet) and sets style attributes; scripts stay strictly
// 'self' (the build has no inline script and no eval).
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

/**
 * The same policy for a `<meta http-equiv>` in the built index.html: a second guard should the
 * header from protocol.handle ever not be applied. A meta policy cannot carry frame-ancestors
 * (nor sandbox or report-uri: browsers ignore them there), so those are left to the header.
 */
export function metaContentSecurityPolicy(policy: string = CONTENT_SECURITY_POLICY): string {
  return policy.split('; ').filter((d) => !/^(frame-ancestors|sandbox|report-uri)\b/.test(d)).join('; ');
}

/**
 * Every other answer of the protocol (the library's files under /api, and errors): a page that
 * navigates to one of them gets a document with no right to run anything, in an opaque origin,
 * so a crafted file (an SVG, an HTML body) can never script with the preload's bridge at hand.
 */
export const FILE_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox";
