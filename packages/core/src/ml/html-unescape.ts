// Python's html.unescape, reproduced exactly for CLIP's text cleaning. The named-reference table
// is the `entities` package's HTML5 trie; the lookup and every other rule are Python's.
import { determineBranch, htmlDecodeTree } from 'entities/decode';

/** Windows-1252 for 0x80..0x9f; the five bytes it leaves undefined stay themselves ("sloppy"). */
export const CP1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** The HTML5 names that also decode without a semicolon (a frozen list in the HTML standard). */
const LEGACY_ENTITY_NAMES = new Set(
  ('AElig AMP Aacute Acirc Agrave Aring Atilde Auml COPY Ccedil ETH Eacute Ecirc Egrave Euml GT Iacute Icirc Igrave ' +
    'Iuml LT Ntilde Oacute Ocirc Ograve Oslash Otilde Ouml QUOT REG THORN Uacute Ucirc Ugrave Uuml Yacute aacute ' +
    'acirc acute aelig agrave amp aring atilde auml brvbar ccedil cedil cent copy curren deg divide eacute ecirc ' +
    'egrave eth euml frac12 frac14 frac34 gt iacute icirc iexcl igrave iquest iuml laquo lt macr micro middot nbsp ' +
    'not ntilde oacute ocirc ograve ordf ordm oslash otilde ouml para plusmn pound quot raquo reg sect shy sup1 sup2 ' +
    'sup3 szlig thorn times uacute ucirc ugrave uml uuml yacute yen yuml').split(' '),
);
const LEGACY_MAX_LENGTH = 6;

// Node layout of the entities trie (its internal BinTrieFlags).
const VALUE_LENGTH = 0xc000;
const FLAG13 = 0x2000;
const BRANCH_LENGTH = 0x1f80;
const JUMP_TABLE = 0x7f;
const SEMICOLON = 0x3b;

function trieValue(index: number): string {
  const node = htmlDecodeTree[index]!;
  const length = (node & VALUE_LENGTH) >> 14;
  if (length === 1) return String.fromCharCode(node & (BRANCH_LENGTH | JUMP_TABLE));
  if (length === 2) return String.fromCharCode(htmlDecodeTree[index + 1]!);
  return String.fromCharCode(htmlDecodeTree[index + 1]!, htmlDecodeTree[index + 2]!);
}

/**
 * The value of a complete HTML5 reference name such as `amp;` or `notin;`, or null. entities'
 * own decoders (7.0.1) walk on past a leaf whose value is stored inline and then return garbage
 * for non-names such as `Yumlx;` or `acy1;`, so this walk treats such leaves as ends. Checked
 * against all of Python's html.entities.html5 names and 1.7 million one-letter mutations of them.
 */
export function htmlEntity(name: string): string | null {
  let index = 0;
  let i = 0;
  for (;;) {
    let node = htmlDecodeTree[index]!;
    let valueLength = (node & VALUE_LENGTH) >> 14;
    if (valueLength === 0 && (node & FLAG13) !== 0) {
      // A compact run: a chain of single-child nodes stored as packed characters.
      const runLength = (node & BRANCH_LENGTH) >> 7;
      if (name.charCodeAt(i) !== (node & JUMP_TABLE)) return null;
      i++;
      for (let r = 1; r < runLength; r++, i++) {
        const packed = htmlDecodeTree[index + 1 + ((r - 1) >> 1)]!;
        if (name.charCodeAt(i) !== (((r - 1) & 1) === 0 ? packed & 0xff : packed >> 8)) return null;
      }
      index += 1 + (runLength >> 1);
      node = htmlDecodeTree[index]!;
      valueLength = (node & VALUE_LENGTH) >> 14;
    }
    if (i >= name.length) return null;
    const c = name.charCodeAt(i);
    if (c === SEMICOLON && valueLength !== 0) return i === name.length - 1 ? trieValue(index) : null;
    if (valueLength === 1) return null;
    const next = determineBranch(htmlDecodeTree, node, index + Math.max(1, valueLength), c);
    if (next < 0) return null;
    index = next;
    i++;
  }
}

/** Code points Python's html.unescape drops from numeric references (html/__init__.py). */
function isInvalidCodePoint(n: number): boolean {
  return (
    (n >= 0x1 && n <= 0x8) || n === 0xb || (n >= 0xe && n <= 0x1f) || (n >= 0x7f && n <= 0x9f) ||
    (n >= 0xfdd0 && n <= 0xfdef) || (n & 0xfffe) === 0xfffe
  );
}

function numericReference(digits: string, hex: boolean): string {
  const n = parseInt(digits, hex ? 16 : 10); // May be huge or Infinity: only its range matters then.
  if (n === 0) return '\ufffd';
  if (n === 0x0d) return '\r';
  if (n >= 0x80 && n <= 0x9f) return String.fromCodePoint(CP1252_C1[n - 0x80]!);
  if ((n >= 0xd800 && n <= 0xdfff) || n > 0x10ffff) return '\ufffd';
  if (isInvalidCodePoint(n)) return '';
  return String.fromCodePoint(n);
}

function namedReference(s: string): string {
  if (s.endsWith(';')) {
    const value = htmlEntity(s);
    if (value !== null) return value;
  }
  // Python then takes the longest prefix that is an HTML5 name; prefixes hold no ';', so only
  // the legacy names can match (and `s` itself when it has no ';').
  const limit = Math.min(s.endsWith(';') ? s.length - 1 : s.length, LEGACY_MAX_LENGTH);
  for (let x = limit; x >= 2; x--) {
    const prefix = s.slice(0, x);
    if (LEGACY_ENTITY_NAMES.has(prefix)) return htmlEntity(`${prefix};`)! + s.slice(x);
  }
  return `&${s}`;
}

const PY_CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/gu;

/**
 * Python's `html.unescape`. `entities`' decodeHTML differs from it: it keeps the control
 * characters Python drops from numeric references, and misreads some non-names (see htmlEntity).
 */
export function pythonHtmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(PY_CHARREF, (_m, s: string) => {
    if (s[0] !== '#') return namedReference(s);
    const hex = s[1] === 'x' || s[1] === 'X';
    return numericReference(s.slice(hex ? 2 : 1).replace(/;$/, ''), hex);
  });
}
