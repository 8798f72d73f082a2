// OpenAI CLIP's byte-level BPE tokenizer (clip/simple_tokenizer.py and clip.tokenize), reproduced
// token for token over the vocabulary file bpe_simple_vocab_16e6.txt.gz (the caller gunzips it).
// Letters and digits follow the JavaScript engine's Unicode tables; Python's `regex` module only
// disagrees with them on recently encoded characters.
import { clipBasicClean, clipWhitespaceClean } from './clip-text-clean.ts';

export const CLIP_SOT = 49406;
export const CLIP_EOT = 49407;
export const CLIP_CONTEXT_LENGTH = 77;
const MERGE_COUNT = 49152 - 256 - 2;

/** GPT-2's reversible byte → printable character table (bytes_to_unicode). */
export function bytesToUnicode(): string[] {
  const table: string[] = new Array<string>(256);
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let n = 0;
  for (let b = 0; b < 256; b++) table[b] = String.fromCharCode(printable(b) ? b : 256 + n++);
  return table;
}

// The order of the table's values, as Python's dict keeps them: printable bytes first.
function bytesToUnicodeOrder(table: string[]): string[] {
  const order: number[] = [];
  for (let b = 0; b < 256; b++) if (table[b]!.charCodeAt(0) === b) order.push(b);
  for (let b = 0; b < 256; b++) if (table[b]!.charCodeAt(0) !== b) order.push(b);
  return order.map((b) => table[b]!);
}

// Lower-cased text, so IGNORECASE only matters for the long s in "'ſ" (as in Python's `regex`).
const TOKEN_PATTERN =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\p{White_Space}\p{L}\p{N}]+/giu;
const SPECIAL_TOKENS = new Set(['<|startoftext|>', '<|endoftext|>']);

/** UTF-8 bytes of a string; a lone surrogate becomes U+FFFD, as TextEncoder does. */
function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    let cp = char.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return bytes;
}

export class ClipTokenizer {
  private readonly encoder: Map<string, number>;
  private readonly ranks: Map<string, number>;
  private readonly byteEncoder: string[];
  private readonly cache = new Map<string, number[]>();

  private constructor(merges: string[]) {
    this.byteEncoder = bytesToUnicode();
    const base = bytesToUnicodeOrder(this.byteEncoder);
    const vocab = [...base, ...base.map((c) => `${c}</w>`), ...merges.map((m) => m.replace(' ', ''))];
    vocab.push('<|startoftext|>', '<|endoftext|>');
    this.encoder = new Map(vocab.map((token, id) => [token, id]));
    this.ranks = new Map(merges.map((m, rank) => [m, rank]));
  }

  /** Builds the tokenizer from the gunzipped text of bpe_simple_vocab_16e6.txt.gz. */
  static fromVocabulary(bpeText: string): ClipTokenizer {
    const merges = bpeText.split('\n').slice(1, MERGE_COUNT + 1);
    if (merges.length !== MERGE_COUNT || merges.some((m) => m.split(' ').length !== 2)) {
      throw new Error(`not a CLIP BPE vocabulary: expected ${MERGE_COUNT} merge lines`);
    }
    return new ClipTokenizer(merges);
  }

  /** Number of ids (49,408 for CLIP). */
  get vocabularySize(): number {
    return this.encoder.size;
  }

  /** The id of a vocabulary entry (such as `dog</w>`), or undefined. */
  idOf(token: string): number | undefined {
    return this.encoder.get(token);
  }

  /** simple_tokenizer.encode: BPE ids of the cleaned text, without SOT/EOT. */
  encode(text: string): number[] {
    const cleaned = clipWhitespaceClean(clipBasicClean(text)).toLowerCase();
    // Python's `regex` (IGNORECASE) matches U+0345 with none of the alternatives, so it only
    // splits words; JavaScript would count it as a letter.
    const pieces = cleaned.replace(/\u0345/g, ' ').match(TOKEN_PATTERN) ?? [];
    const ids: number[] = [];
    for (const piece of pieces) for (const id of this.bpe(piece)) ids.push(id);
    return ids;
  }

  /** SOT, the text's ids, EOT: no padding and no truncation. */
  tokens(text: string): number[] {
    return [CLIP_SOT, ...this.encode(text), CLIP_EOT];
  }

  /**
   * clip.tokenize(text, truncate=True): SOT … EOT, zero-padded to the context length; a longer
   * text keeps its first `contextLength` tokens with the last one forced to EOT.
   */
  tokenize(text: string, contextLength = CLIP_CONTEXT_LENGTH): Int32Array {
    const tokens = this.tokens(text);
    const out = new Int32Array(contextLength);
    if (tokens.length > contextLength) {
      out.set(tokens.slice(0, contextLength));
      out[contextLength - 1] = CLIP_EOT;
    } else {
      out.set(tokens);
    }
    return out;
  }

  private bpe(piece: string): number[] {
    const cached = this.cache.get(piece);
    if (cached) return cached;
    let ids: number[];
    if (SPECIAL_TOKENS.has(piece)) {
      ids = [this.encoder.get(piece)!];
    } else {
      let token = '';
      for (const byte of utf8Bytes(piece)) token += this.byteEncoder[byte]!;
      ids = this.merge(token).map((symbol) => this.encoder.get(symbol)!);
    }
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(piece, ids);
    return ids;
  }

  /** The BPE merge loop: repeatedly join the adjacent pair with the lowest merge rank. */
  private merge(token: string): string[] {
    let word = [...token.slice(0, -1)];
    word.push(`${token.slice(-1)}</w>`);
    while (word.length > 1) {
      let best = Infinity;
      let first = '';
      let second = '';
      for (let i = 0; i < word.length - 1; i++) {
        const rank = this.ranks.get(`${word[i]} ${word[i + 1]}`);
        if (rank !== undefined && rank < best) {
          best = rank;
          first = word[i]!;
          second = word[i + 1]!;
        }
      }
      if (best === Infinity) break;
      const next: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
          next.push(first + second);
          i++;
        } else {
          next.push(word[i]!);
        }
      }
      word = next;
    }
    return word;
  }
}
