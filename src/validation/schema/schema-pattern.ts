/**
 * CRD `pattern` values are Go (RE2) regular expressions, as the Kubernetes API server runs them.
 * This translates the RE2 constructs that JavaScript spells differently, so that a pattern
 * matches in JS what it matches in Go:
 * - a leading flag group `(?i)` / `(?s)` / `(?m)`, also after a leading `^` (Calico writes
 *   `^(?i)(Drop|Accept)?$`), becomes a RegExp flag;
 * - `\A` and `\z` become `^` and `$` (JS without the `m` flag anchors to the whole text, like Go);
 * - POSIX classes inside brackets (`[[:alpha:]]`) become their ASCII ranges.
 * Patterns are compiled once per process and cached.
 */

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp | Error>();

/**
 * Translates a Go RE2 pattern into JavaScript source and flags.
 * @throws if the pattern uses a flag group somewhere other than at its start.
 */
export function translateGoPattern(pattern: string): { readonly source: string; readonly flags: string } {
  let source = pattern;
  let flags = '';
  const lead = /^(\^?)\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    for (const f of lead[2]) {
      if (f === 'U') throw new Error('the (?U) ungreedy flag has no JavaScript equivalent');
      if (!flags.includes(f)) flags += f;
    }
    source = lead[1] + source.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'z') out += '$';
      else out += c + (next ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && source[i + 1] === ':') {
        const end = source.indexOf(':]', i + 2);
        const ranges = end > 0 ? POSIX_CLASSES[source.slice(i + 2, end)] : undefined;
        if (ranges === undefined) throw new Error(`unsupported character class at position ${i}`);
        out += ranges;
        i = end + 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += '\\' + source[++i]; // a leading ] is a literal in RE2
      continue;
    }
    if (c === '(' && source[i + 1] === '?' && /^\(\?[imsU-]+[):]/.test(source.slice(i))) {
      throw new Error(`inline flag group at position ${i} is not supported (only at the start of the pattern)`);
    }
    out += c;
  }
  return { source: out, flags };
}

/**
 * The JavaScript RegExp for a CRD pattern (cached).
 * @throws if the pattern cannot be translated or compiled.
 */
export function compilePattern(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      const { source, flags } = translateGoPattern(pattern);
      try {
        re = new RegExp(source, `${flags}u`); // RE2 matches code points, like the u flag
      } catch {
        re = new RegExp(source, flags);
      }
    } catch (e) {
      re = e instanceof Error ? e : new Error(String(e));
    }
    cache.set(pattern, re);
  }
  if (re instanceof Error) throw re;
  return re;
}

/** Number of distinct patterns compiled so far in this process (introspection). */
export function compiledPatternCount(): number {
  return cache.size;
}
