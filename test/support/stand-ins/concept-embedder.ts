// A stand-in embedding model (real ones are unreachable here): words map onto shared concepts through a lexicon, so
// texts that say the same thing in different words land close together, and other words spread over hashed
// dimensions. Deterministic, so a semantic ranking can be asserted.
import { createHash } from 'node:crypto';

const HASHED = 32;

/** Crude stemming, enough for the lexicon to match plurals and tenses. */
const stem = (word: string) => word.replace(/(ies|es|s|ing|ed)$/, '');

export function conceptEmbedder(lexicon: Readonly<Record<string, readonly string[]>>): (text: string) => number[] {
  const concepts = Object.keys(lexicon);
  const index = new Map<string, number>();
  concepts.forEach((concept, i) => lexicon[concept]!.forEach((word) => index.set(stem(word.toLowerCase()), i)));
  return (text) => {
    const vector = new Array<number>(concepts.length + HASHED).fill(0);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      const concept = index.get(stem(word));
      if (concept !== undefined) vector[concept]! += 1;
      else vector[concepts.length + (createHash('sha1').update(stem(word)).digest()[0]! % HASHED)]! += 0.15;
    }
    return vector;
  };
}
