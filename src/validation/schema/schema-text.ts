/**
 * Wording helpers shared by the schema validator: how values, paths and suggestions are written
 * in violation messages.
 */




/** An enum member as listed in messages: bare words stay bare, anything else is JSON. */
export function describeEnumMember(v: unknown): string {
  if (typeof v === 'string' && /^[A-Za-z0-9_.:/()*+-]+$/.test(v)) return v;
  return v === undefined ? 'undefined' : JSON.stringify(v);
}


const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `path.key`, or `path["a.b/c"]` when the key is not a plain name (label keys, CIDRs...). */
export function joinKey(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** `path[i]`. */
export function joinIndex(path: string, i: number): string {
  return `${path}[${i}]`;
}

/**
 * Appends a CEL rule's `fieldPath` (`.spec.ports[0]`, `.labels['a.b']`, relative to the rule's
 * site) to a violation path; a fieldPath it cannot read leaves the path as is.
 */
export function appendFieldPath(path: string, fieldPath: string | undefined): string {
  if (typeof fieldPath !== 'string' || fieldPath === '') return path;
  let out = path;
  const token = /\.([A-Za-z_$][\w$-]*)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[(\d+)\]/y;
  let i = 0;
  while (i < fieldPath.length) {
    token.lastIndex = i;
    const m = token.exec(fieldPath);
    if (!m) return path; // not understood: keep the rule's own site
    if (m[1] !== undefined) out = joinKey(out, m[1]);
    else if (m[2] !== undefined) out = joinKey(out, m[2]);
    else if (m[3] !== undefined) out = joinKey(out, m[3]);
    else out = joinIndex(out, Number(m[4]));
    i = token.lastIndex;
  }
  return out;
}

/** Optimal-string-alignment edit distance (a transposition counts as one edit). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n];
}

/**
 * The candidate closest to `word` (case-insensitive edit distance), if close enough to be a
 * plausible typo: at most 1 edit for words up to 4 letters, 2 up to 8, else 3. Ties go to the
 * earlier candidate, so the answer is deterministic.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = w.length <= 4 ? 1 : w.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Names as listed in messages: comma-separated, `a, b, c`. */
export function listNames(names: readonly string[]): string {
  return names.join(', ');
}

/**
 * A canonical string for a JSON value (object keys sorted), for equality and uniqueness checks.
 * Safe on cycles and very deep values (cut at depth 64).
 */
export function canonicalJson(v: unknown, depth = 0): string {
  if (depth > 64) return '…';
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? String(v);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x, depth + 1)).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k], depth + 1)}`)
    .join(',')}}`;
}
