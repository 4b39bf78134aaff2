import { EMBEDDING_DIMENSIONS } from '../store/entities/knowledge.entity';
import type { Embedder } from './embedder';

/**
 * Feature kinds and their weights. Words carry the meaning; bigrams keep a little word order
 * ("connection refused" beats its parts); character trigrams make inflections and compounds overlap
 * ("restarting" / "restarts", "CrashLoopBackOff" / "crash loop"). Tuned on alert-to-runbook retrieval:
 * in 256 dimensions, heavier bigrams added collision noise faster than signal.
 */
const WEIGHT = { word: 1, compound: 0.5, bigram: 0.3, trigram: 0.4, han: 0.7 } as const;
type Kind = keyof typeof WEIGHT;

const STOPWORDS = new Set(
  ('a an and are as at be been by for from has have in is it its of on or that the this to was were will with ' +
    'than then there these those into over under not no yes can could should would may might our your their').split(' '),
);

/** Words, or identifiers joined by - _ . / : (pod names, hosts, metric names). */
const TOKEN = /[\p{L}\p{N}]+(?:[-_./:][\p{L}\p{N}]+)*/gu;
const SEPARATOR = /[-_./:]/;
/** ISO dates and times of day: every occurrence has its own, so they only add noise. */
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?\b|\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b/g;
const HAN = /\p{Script=Han}/u;

/**
 * A deterministic embedder that needs no model: signed feature hashing of words, identifier parts,
 * bigrams and character trigrams into `dimensions` buckets, sublinear term frequency, L2-normalised.
 * It knows no synonyms, so it finds alerts and runbooks that share vocabulary, which repeated alerts do.
 */
export class LocalEmbedder implements Embedder {
  /** Bump the version when features change: the stored `embedder` name then marks old vectors stale. */
  readonly name: string;

  constructor(readonly dimensions: number = EMBEDDING_DIMENSIONS) {
    this.name = `local-hash-v1-${dimensions}`;
  }

  embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    // In the executor, so an aborted signal rejects the promise rather than throwing at the call.
    return new Promise((resolve) => {
      signal?.throwIfAborted();
      resolve(texts.map((text) => this.vector(text)));
    });
  }

  vector(text: string): number[] {
    const counts = new Map<string, { kind: Kind; count: number }>();
    const add = (kind: Kind, feature: string): void => {
      const key = `${kind}:${feature}`;
      const entry = counts.get(key);
      if (entry) entry.count += 1;
      else counts.set(key, { kind, count: 1 });
    };
    extractFeatures(text, add);
    if (counts.size === 0) add('word', '<empty>');

    const vector = new Array<number>(this.dimensions).fill(0);
    for (const [key, { kind, count }] of counts) {
      const hash = mix(fnv1a(key));
      const weight = WEIGHT[kind] * (1 + Math.log(count));
      vector[hash % this.dimensions]! += hash & 0x8000_0000 ? -weight : weight;
    }
    const norm = Math.hypot(...vector);
    // Every feature can cancel out in its bucket only by a freak collision; fall back to a fixed unit vector.
    return norm > 0 ? vector.map((value) => value / norm) : vector.map((_, i) => (i === 0 ? 1 : 0));
  }
}

/** Feeds every feature of `text` to `add`; exported for tests that want to see what counts. */
export function extractFeatures(text: string, add: (kind: Kind, feature: string) => void): void {
  const words: string[] = [];
  const normalized = text.normalize('NFKC').toLowerCase().replace(TIMESTAMP, ' ');
  for (const [token] of normalized.matchAll(TOKEN)) {
    const parts = token.split(SEPARATOR);
    const kept = parts.filter(isMeaningful);
    // A whole identifier counts only when it is stable: a pod name with a generated suffix is not.
    if (parts.length > 1 && kept.length === parts.length) add('compound', token);
    for (const part of kept) {
      if (HAN.test(part)) addHan(part, add);
      else if (!STOPWORDS.has(part)) words.push(part);
    }
  }
  words.forEach((word, i) => {
    add('word', word);
    if (i > 0) add('bigram', `${words[i - 1]} ${word}`);
    if (word.length >= 4 && !/^\d+$/.test(word)) {
      const padded = `^${word}$`;
      for (let j = 0; j + 3 <= padded.length; j++) add('trigram', padded.slice(j, j + 3));
    }
  });
}

/** Chinese has no spaces: its characters and character pairs stand in for words. */
function addHan(run: string, add: (kind: Kind, feature: string) => void): void {
  const chars = [...run];
  chars.forEach((char, i) => {
    add('han', char);
    if (i > 0) add('word', `${chars[i - 1]}${char}`);
  });
}

/**
 * Drops what differs between two occurrences of the same problem: single characters, long numbers
 * (ids, byte counts), values with units and timestamp pieces (`100ms`, `02z`), hex ids and generated
 * suffixes (`7d9f8c6b5`, `x2k4q`: Kubernetes' random names use no vowels). Three- and four-digit
 * numbers stay (status codes, ports), as do `5xx` and words with digits such as `ipv4` or `log4j`.
 */
function isMeaningful(part: string): boolean {
  if (part.length < 2) return false;
  if (/^\d+$/.test(part)) return part.length === 3 || part.length === 4;
  if (/^[1-5]xx$/.test(part) || !/\d/.test(part) || HAN.test(part)) return true;
  if (/^\d/.test(part)) return false;
  if (part.length >= 4 && /^[0-9a-f]+$/.test(part)) return false;
  return !(part.length >= 5 && !/[aeiouy]/.test(part));
}

/** 32-bit FNV-1a over UTF-16 code units: stable across processes and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: spreads FNV's weak low bits, which pick the bucket, and decorrelates the sign bit. */
function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
