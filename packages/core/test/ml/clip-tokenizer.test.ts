// The CLIP tokenizer on the real vocabulary: OpenAI's published ids, ids derived from the
// vocabulary itself, and 362 texts tokenized by clip/simple_tokenizer.py (fixtures/clip-tokens.json,
// made by fixtures/make-clip-token-reference.py with ftfy and regex).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipBasicClean, clipWhitespaceClean, ftfyFixText } from '../../src/ml/clip-text-clean.ts';
import { bytesToUnicode, CLIP_CONTEXT_LENGTH, CLIP_EOT, CLIP_SOT, ClipTokenizer } from '../../src/ml/clip-tokenizer.ts';
import { htmlEntity, pythonHtmlUnescape } from '../../src/ml/html-unescape.ts';

const VOCAB = path.resolve(import.meta.dirname, '../../../../../shared/models/clip-tokenizer/bpe_simple_vocab_16e6.txt.gz');
const reference = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures/clip-tokens.json'), 'utf8')) as {
  cases: { text: string; ids: number[] }[];
};

let tok: ClipTokenizer;
let bpeLines: string[];
/** The merges CLIP uses: lines 1..48894 (the file holds more). */
let merges: Set<string>;
beforeAll(() => {
  const text = zlib.gunzipSync(fs.readFileSync(VOCAB)).toString('utf8');
  bpeLines = text.split('\n');
  merges = new Set(bpeLines.slice(1, 48895));
  tok = ClipTokenizer.fromVocabulary(text);
});

/** A whole word's id: its index in the vocabulary with the end-of-word marker. */
const word = (w: string) => {
  const id = tok.idOf(`${w}</w>`);
  if (id === undefined) throw new Error(`${w} is not a single token`);
  return id;
};

describe('CLIP tokenizer', () => {
  it('builds the 49,408-id vocabulary in OpenAI order', () => {
    expect(tok.vocabularySize).toBe(49408);
    expect(tok.idOf('<|startoftext|>')).toBe(CLIP_SOT);
    expect(tok.idOf('<|endoftext|>')).toBe(CLIP_EOT);
    expect(tok.idOf('!')).toBe(0); // bytes_to_unicode starts with the printable bytes
    expect(tok.idOf('!</w>')).toBe(256);
    // Merge n (line n of the file, 1-based after the header) is id 511 + n.
    expect(tok.idOf(bpeLines[1]!.replace(' ', ''))).toBe(512);
    expect(tok.idOf(bpeLines[48894]!.replace(' ', ''))).toBe(49405);
  });

  it('gives the ids from the CLIP README', () => {
    expect(tok.tokens('a diagram')).toEqual([49406, 320, 22697, 49407]);
    expect(tok.tokens('a dog')).toEqual([49406, 320, 1929, 49407]);
    expect(tok.tokens('a cat')).toEqual([49406, 320, 2368, 49407]);
  });

  it('lower-cases, cleans whitespace and splits off punctuation runs', () => {
    expect(tok.encode('A  Photo\tOF\n a DOG ')).toEqual([word('a'), word('photo'), word('of'), word('a'), word('dog')]);
    expect(tok.encode('hello, world!!')).toEqual([word('hello'), word(','), word('world'), word('!!')]);
    expect(tok.encode('(dog)')).toEqual([word('('), word('dog'), word(')')]);
  });

  it('splits English contractions like the reference pattern', () => {
    expect(tok.encode("we're")).toEqual([word('we'), word("'re")]);
    expect(tok.encode("it's")).toEqual([word('it'), word("'s")]);
    expect(tok.encode("I'll")).toEqual([word('i'), word("'ll")]);
    // ftfy straightens the curly apostrophe first.
    expect(tok.encode('it\u2019s')).toEqual(tok.encode("it's"));
  });

  it('makes every digit its own token', () => {
    expect(tok.encode('2024')).toEqual([word('2'), word('0'), word('2'), word('4')]);
    expect(tok.encode('3.14')).toEqual([word('3'), word('.'), word('1'), word('4')]);
  });

  it('encodes emoji and CJK as UTF-8 byte symbols merged by BPE', () => {
    const symbols = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => bytesToUnicode()[b]!);
    // Common emoji and accented letters are whole tokens: their byte symbols joined, plus </w>.
    for (const text of ['\u{1F436}', '\u{1F600}', '\u{1F44D}', '\u00e9']) {
      expect(tok.encode(text)).toEqual([tok.idOf(`${symbols(text).join('')}</w>`)]);
    }
    expect(tok.encode('\u{1F436}')).toEqual([10631]);
    // 猫 (E7 8C AB) has no merge for either pair, so it stays three byte symbols, the last final.
    const [a, b, c] = symbols('\u732b') as [string, string, string];
    expect(merges.has(`${a} ${b}`)).toBe(false);
    expect(merges.has(`${b} ${c}</w>`)).toBe(false);
    expect(tok.encode('\u732b')).toEqual([tok.idOf(a), tok.idOf(b), tok.idOf(`${c}</w>`)]);
    // 東 (E6 9D B1): only the first two bytes merge.
    const [d, e, f] = symbols('\u6771') as [string, string, string];
    expect(merges.has(`${d} ${e}`)).toBe(true);
    expect(merges.has(`${d}${e} ${f}</w>`)).toBe(false);
    expect(merges.has(`${e} ${f}</w>`)).toBe(false);
    expect(tok.encode('\u6771')).toEqual([tok.idOf(d + e), tok.idOf(`${f}</w>`)]);
    // A run of CJK letters is one word for the pattern: BPE runs over all its bytes at once.
    expect(tok.encode('\u6771\u4eac')).toEqual([48338, 21078, 361]);
    expect(tok.encode('\u6771 \u4eac')).toEqual([...tok.encode('\u6771'), ...tok.encode('\u4eac')]);
  });

  it('decodes HTML entities twice, as basic_clean does', () => {
    expect(tok.encode('fish &amp; chips')).toEqual([word('fish'), word('&'), word('chips')]);
    expect(tok.encode('fish &amp;amp; chips')).toEqual(tok.encode('fish & chips'));
    expect(tok.encode('&lt;b&gt;')).toEqual(tok.encode('<b>'));
    expect(tok.encode('&#65;&#x42;')).toEqual([word('ab')]);
  });

  it('treats the special tokens as tokens inside text', () => {
    expect(tok.encode('<|startoftext|>x<|endoftext|>')).toEqual([CLIP_SOT, word('x'), CLIP_EOT]);
  });

  it('wraps SOT … EOT and pads to the context length', () => {
    expect(tok.tokens('')).toEqual([CLIP_SOT, CLIP_EOT]);
    const padded = tok.tokenize('a dog');
    expect(padded).toBeInstanceOf(Int32Array);
    expect(padded.length).toBe(CLIP_CONTEXT_LENGTH);
    expect([...padded.slice(0, 5)]).toEqual([49406, 320, 1929, 49407, 0]);
    expect(padded.slice(4).every((v) => v === 0)).toBe(true);
    expect([...tok.tokenize('')].slice(0, 3)).toEqual([CLIP_SOT, CLIP_EOT, 0]);
  });

  it('truncates long texts like tokenize(truncate=True)', () => {
    const long = Array.from({ length: 100 }, (_, i) => `word${i % 10}`).join(' ');
    const full = tok.tokens(long);
    expect(full.length).toBeGreaterThan(CLIP_CONTEXT_LENGTH);
    const t = tok.tokenize(long);
    expect(t.length).toBe(CLIP_CONTEXT_LENGTH);
    expect([...t.slice(0, 76)]).toEqual(full.slice(0, 76));
    expect(t[76]).toBe(CLIP_EOT);
    expect([...tok.tokenize(long, 10)]).toEqual([...full.slice(0, 9), CLIP_EOT]);
  });

  it(`matches simple_tokenizer.py on all ${reference.cases.length} reference texts`, () => {
    const mismatches = reference.cases.filter((c) => JSON.stringify(tok.encode(c.text)) !== JSON.stringify(c.ids));
    expect(mismatches.map((c) => c.text)).toEqual([]);
  });

  it('tokenizes a query in well under a millisecond', () => {
    // Made-up words, so the BPE cache cannot answer for them.
    const made = (i: number) => Array.from({ length: 9 }, (_, k) => String.fromCharCode(97 + ((i * 7 + k * 13 + i * k) % 26))).join('');
    const queries = Array.from({ length: 500 }, (_, i) => `a photo of ${made(i)} at the ${made(i + 1000)} beach in ${1980 + (i % 40)}`);
    const start = performance.now();
    for (const q of queries) tok.tokenize(q);
    const perQuery = (performance.now() - start) / queries.length;
    expect(perQuery).toBeLessThan(0.5);
  });
});

describe('CLIP text cleaning', () => {
  it('is Python html.unescape, including its differences from entities', () => {
    expect(pythonHtmlUnescape('&amp;amp;')).toBe('&amp;');
    expect(pythonHtmlUnescape('&copy 2024 &notit; &notin; &ampx')).toBe('\u00a9 2024 \u00acit; \u2209 &x');
    expect(pythonHtmlUnescape('&#1;x&#0;&#x80;&#xD800;&#99999999;&#13;')).toBe('x\ufffd\u20ac\ufffd\ufffd\r');
    expect(pythonHtmlUnescape('&Yumlx; &acy1; &backepsilonx;')).toBe('&Yumlx; &acy1; &backepsilonx;');
    expect(pythonHtmlUnescape('&Yuml; &acy; &backepsilon; &NotNestedGreaterGreater;')).toBe('\u0178 \u0430 \u03f6 \u2aa2\u0338');
  });

  it('looks HTML5 names up exactly', () => {
    expect(htmlEntity('amp;')).toBe('&');
    expect(htmlEntity('amp')).toBeNull();
    expect(htmlEntity('ampx;')).toBeNull();
    expect(htmlEntity('Yumlx;')).toBeNull();
  });

  it('applies the ftfy fixes it reproduces', () => {
    expect(ftfyFixText('\u201cdon\u2019t\u201d')).toBe('"don\'t"');
    expect(ftfyFixText('\ufb01ne \uff28\uff49\u3000x')).toBe('fine Hi x');
    expect(ftfyFixText('cafe\u0301')).toBe('caf\u00e9');
    expect(ftfyFixText('a\x96b\x1b[31mred\x1b[0m\x01')).toBe('a\u2013bred');
    expect(ftfyFixText('P&EACUTE;REZ &amp;amp;')).toBe('P\u00c9REZ &');
    expect(ftfyFixText('<b>&amp;</b>')).toBe('<b>&amp;</b>');
  });

  it('cleans whitespace with Python\u2019s notion of it', () => {
    expect(clipWhitespaceClean(' a \u00a0\u3000 b\u0085c ')).toBe('a b c');
    expect(clipWhitespaceClean('a\ufeffb')).toBe('a\ufeffb');
    expect(clipBasicClean('  x &amp; y \t')).toBe('x & y');
  });
});
