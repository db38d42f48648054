import type { OutputFormat } from './output-format';

const MEDIA_TYPES: Record<OutputFormat, [type: string, subtype: string]> = {
  json: ['application', 'json'],
  csv: ['text', 'csv'],
  ndjson: ['application', 'x-ndjson'],
};

/** Among formats named outright with equal quality, the tabular ones win (as before q-values). */
const EXPLICIT_PRECEDENCE: readonly OutputFormat[] = ['csv', 'ndjson', 'json'];
/** Matched by a `type/*` range only: the default first. */
const WILDCARD_PRECEDENCE: readonly OutputFormat[] = ['json', 'csv', 'ndjson'];

/** More media ranges than any client sends; the rest of a longer header is not read. */
const MAX_RANGES = 64;

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

interface Candidate {
  format: OutputFormat;
  q: number;
  /** 2 = `type/subtype`, 1 = `type/*`, 0 = `*\/*`. */
  specificity: number;
}

/**
 * The output format an Accept header prefers (RFC 9110 §12.5.1): each format takes the quality
 * of the most specific range matching it, `q=0` means "not this one", the highest quality wins.
 * Ties go to a format the client named over one only a wildcard matched; a header naming none
 * of ours (or refusing all of them) gives JSON, as HTTP allows instead of a 406.
 */
export function preferredFormat(accept: string | undefined): OutputFormat {
  if (!accept) return 'json';
  const ranges = parseAccept(accept);
  const candidates: Candidate[] = [];
  for (const format of EXPLICIT_PRECEDENCE) {
    const match = bestMatch(format, ranges);
    if (match && match.q > 0) candidates.push(match);
  }
  candidates.sort((a, b) => b.q - a.q || b.specificity - a.specificity || rank(a) - rank(b));
  const best = candidates[0];
  // Only wildcards matched: nothing was asked for in particular, so the default.
  if (!best || best.specificity === 0) return 'json';
  return best.format;
}

function rank(candidate: Candidate): number {
  const order = candidate.specificity === 2 ? EXPLICIT_PRECEDENCE : WILDCARD_PRECEDENCE;
  return order.indexOf(candidate.format);
}

function bestMatch(format: OutputFormat, ranges: readonly MediaRange[]): Candidate | undefined {
  const [type, subtype] = MEDIA_TYPES[format];
  let best: Candidate | undefined;
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*'
          ? 1
          : range.type === '*' && range.subtype === '*'
            ? 0
            : -1;
    if (specificity < 0) continue;
    if (!best || specificity > best.specificity) best = { format, q: range.q, specificity };
  }
  return best;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of accept.split(',', MAX_RANGES)) {
    const [mediaType = '', ...params] = part.split(';');
    const [type, subtype] = mediaType.trim().toLowerCase().split('/');
    if (!type || !subtype) continue;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=').map((s) => s.trim());
      if (name?.toLowerCase() === 'q') q = parseQuality(value);
    }
    if (!Number.isNaN(q)) ranges.push({ type, subtype, q });
  }
  return ranges;
}

/** `q` is 0..1 with at most three decimals; anything else makes the range unreadable (NaN). */
function parseQuality(value: string | undefined): number {
  if (value === undefined || !/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value)) return NaN;
  return Number(value);
}
