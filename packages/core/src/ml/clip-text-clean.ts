// CLIP's text cleaning before BPE: the per-character fixes of ftfy.fix_text (6.3), Python's
// html.unescape applied twice, and the whitespace collapse of clip/simple_tokenizer.py.
//
// ftfy's mojibake repair (fix_encoding: re-decoding text that was decoded with the wrong codec)
// is not reproduced: it is a statistical heuristic over several codecs, and a search query
// typed into the app is not mojibake. Every other ftfy step is, as is its repeat-until-stable loop.
import { CP1252_C1, htmlEntity, pythonHtmlUnescape } from './html-unescape.ts';

const FTFY_ENTITY = /&#?[0-9A-Za-z]{1,24};/g;

/** ftfy's unescape_html: only `;`-terminated references, plus ALL-CAPS forms of lower-case names. */
function ftfyUnescapeHtml(text: string): string {
  return text.replace(FTFY_ENTITY, (ref) => {
    const name = ref.slice(1);
    if (name[0] === '#') {
      const unescaped = pythonHtmlUnescape(ref);
      return unescaped.includes(';') ? ref : unescaped;
    }
    const exact = htmlEntity(name);
    if (exact !== null) return exact;
    const lower = name.toLowerCase();
    if (lower.toUpperCase() === name && pythonHtmlUnescape(ref) === ref) {
      const value = htmlEntity(lower);
      if (value !== null) return value.toUpperCase();
    }
    return ref;
  });
}

const LIGATURES: Record<string, string> = {
  '\u0132': 'IJ', '\u0133': 'ij', '\u0149': '\u02bcn', '\u01f1': 'DZ', '\u01f2': 'Dz', '\u01f3': 'dz',
  '\u01c4': 'D\u017d', '\u01c5': 'D\u017e', '\u01c6': 'd\u017e', '\u01c7': 'LJ', '\u01c8': 'Lj', '\u01c9': 'lj',
  '\u01ca': 'NJ', '\u01cb': 'Nj', '\u01cc': 'nj', '\ufb00': 'ff', '\ufb01': 'fi', '\ufb02': 'fl', '\ufb03': 'ffi',
  '\ufb04': 'ffl', '\ufb05': '\u017ft', '\ufb06': 'st',
};
const LIGATURE_RE = /[\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3\ufb00-\ufb06]/g;
// ftfy maps U+3000 to a space and each of U+FF01..U+FFEF to its NFKC form when that differs.
const WIDTH_RE = /[\u3000\uff01-\uffef]/g;
const SURROGATE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ANSI_RE = /\x1b\[((?:\d|;)*)([a-zA-Z])/g;
const CONTROL_RE = /[\x00-\x08\x0b\x0e-\x1f\x7f\u206a-\u206f\ufeff\ufff9-\ufffc]/g;

function fixSegmentOnce(text: string, unescape: boolean): string {
  let t = unescape ? ftfyUnescapeHtml(text) : text;
  t = t.replace(/[\x80-\x9f]/g, (c) => String.fromCodePoint(CP1252_C1[c.charCodeAt(0) - 0x80]!));
  t = t.replace(LIGATURE_RE, (c) => LIGATURES[c]!);
  t = t.replace(WIDTH_RE, (c) => (c === '\u3000' ? ' ' : c.normalize('NFKC')));
  t = t.replace(/[\u201c-\u201f]/g, '"').replace(/[\u02bc\u2018-\u201b]/g, "'");
  t = t.replace(/\r\n/g, '\n').replace(/[\r\u2028\u2029\x85]/g, '\n');
  t = t.replace(SURROGATE_RE, '\ufffd');
  t = t.replace(ANSI_RE, '').replace(CONTROL_RE, '');
  return t.normalize('NFC');
}

/**
 * ftfy.fix_text with its default configuration, minus mojibake repair (see the header). Like
 * ftfy it works line by line and stops unescaping HTML once a line holds a '<'.
 */
export function ftfyFixText(text: string): string {
  let out = '';
  let unescape = true;
  let pos = 0;
  while (pos < text.length) {
    const newline = text.indexOf('\n', pos);
    const end = newline < 0 ? text.length : newline + 1;
    let segment = text.slice(pos, end);
    if (segment.includes('<')) unescape = false;
    for (let round = 0; round < 16; round++) {
      const fixed = fixSegmentOnce(segment, unescape);
      if (fixed === segment) break;
      segment = fixed;
    }
    out += segment;
    pos = end;
  }
  return out;
}

// Python's str.strip() removes what str.isspace() accepts: White_Space plus U+001C..U+001F.
const PY_STRIP = /^[\p{White_Space}\x1c-\x1f]+|[\p{White_Space}\x1c-\x1f]+$/gu;
// The `regex` module's \s is Unicode White_Space (JavaScript's \s adds U+FEFF and lacks U+0085).
const PY_WHITESPACE_RUN = /\p{White_Space}+/gu;

/** simple_tokenizer.basic_clean: ftfy, html.unescape twice, strip. */
export function clipBasicClean(text: string): string {
  return pythonHtmlUnescape(pythonHtmlUnescape(ftfyFixText(text))).replace(PY_STRIP, '');
}

/** simple_tokenizer.whitespace_clean: one space for every whitespace run, then strip. */
export function clipWhitespaceClean(text: string): string {
  return text.replace(PY_WHITESPACE_RUN, ' ').replace(PY_STRIP, '');
}
