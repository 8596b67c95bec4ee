/**
 * Writes Kubernetes objects (plain JSON data: objects, arrays, strings, numbers, booleans, null)
 * as block-style YAML, multi-document, keys in insertion order, the layout cdk8s writes.
 *
 * Why not a YAML library: the `yaml` package took 640 ms (js-yaml's dump 310 ms) to write 10,000
 * BGPPeers, 40% of a 10,000-peer synth, and most of the reference synth's time above Node's start-up
 * (bench/README.md). Manifests need only the JSON subset of YAML, which is written here in one
 * pass; the property tests parse the output back with `yaml` (as YAML 1.1 and 1.2) and js-yaml.
 *
 * Quoting is conservative: a string is written plain only when every YAML 1.1 and 1.2 parser
 * reads it back as the same string; otherwise it is double-quoted (a JSON string is a valid YAML
 * double-quoted scalar). In particular `digits:digits` values (BGP communities such as `64512:10`,
 * base-60 integers to YAML 1.1) are always quoted.
 */
export function toYaml(docs: readonly unknown[]): string {
  return docs.map((d) => {
    if (!isCollection(d)) return `${leaf(d)}\n`;
    const out: string[] = [];
    writeNode(out, d, 0);
    return out.join('');
  }).join('---\n');
}

/** Characters that may not start a plain scalar (indicators, and `-`/`?`/`:` handled apart). */
const BAD_FIRST = new Set([',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '?', ':', ' ']);

/**
 * Plain strings that some YAML 1.1 or 1.2 parser reads as something else: null, booleans
 * (including 1.1's y/n/yes/no/on/off), numbers in every notation (octal, hex, binary,
 * underscores, base 60, .inf/.nan), timestamps, the merge key and 1.1's value key.
 */
const NOT_A_STRING = new RegExp([
  '^(?:~|null|Null|NULL)$',
  '^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$',
  // Decimal and base-60 numbers with any optional part missing (one parser reads "E0" or "." as a float).
  '^[-+]?[0-9_]*(?::[0-9_]+)*(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$',
  '^[-+]?0[xX][0-9a-fA-F_]+$',
  '^[-+]?0[oO]?[0-7_]+$',
  '^[-+]?0[bB][01_]+$',
  '^[-+]?\\.(?:inf|Inf|INF)$',
  '^\\.(?:nan|NaN|NAN)$',
  '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}',
  '^(?:<<|=)$',
].join('|'));

/** Characters that a plain scalar may not hold here: control characters, non-ASCII space/breaks. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHAR = /[\u0000-\u001f\u007f-\u00a0\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]/;

/** Characters outside YAML's printable set that JSON.stringify leaves as they are. */
const NOT_PRINTABLE = /[\u007f-\u0084\u0086-\u009f\ufeff\ufffe\uffff]/g;

/** A double-quoted scalar: a JSON string, with YAML's non-printable characters escaped too. */
function quote(s: string): string {
  return JSON.stringify(s).replace(NOT_PRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isPlainSafe(s: string): boolean {
  if (s === '' || BAD_FIRST.has(s[0]) || UNSAFE_CHAR.test(s)) return false;
  if (s[0] === '-' && (s.length === 1 || s[1] === ' ' || s.startsWith('---'))) return false;
  if (s[s.length - 1] === ' ' || s[s.length - 1] === ':') return false;
  if (s.includes(': ') || s.includes(' #')) return false;
  return !NOT_A_STRING.test(s);
}

function scalar(v: unknown): string {
  switch (typeof v) {
    case 'string': return isPlainSafe(v) ? v : quote(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'number':
      if (Number.isNaN(v)) return '.nan';
      if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
      if (Number.isInteger(v)) return Math.abs(v) < 1e21 ? String(v) : BigInt(v).toString();
      // YAML 1.1 floats need a '.' before an exponent.
      return String(v).replace(/^(-?[0-9]+)(e)/, '$1.0$2');
    case 'bigint': return v.toString();
    default: return 'null';
  }
}

function isCollection(v: unknown): v is object {
  return typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

/** A scalar, or an empty collection in flow style (`[]`, `{}`). */
function leaf(v: unknown): string {
  if (Array.isArray(v)) return '[]';
  if (typeof v === 'object' && v !== null) return '{}';
  return scalar(v);
}

/**
 * Writes a non-empty collection whose first line starts where the caller left off (after the
 * indentation, or after `- `); later lines are indented by `indent`. Values of a key, maps and
 * sequences alike, go two columns deeper, as cdk8s writes them.
 */
function writeNode(out: string[], v: object, indent: number): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      out.push(i === 0 ? '- ' : `${pad}- `);
      if (isCollection(item)) writeNode(out, item, indent + 2);
      else out.push(leaf(item), '\n');
    });
    return;
  }
  let first = true;
  for (const [key, value] of Object.entries(v)) {
    if (value === undefined) continue;
    out.push(first ? '' : pad, scalar(key), ':');
    first = false;
    if (isCollection(value)) {
      out.push('\n', pad, '  ');
      writeNode(out, value, indent + 2);
    } else {
      out.push(' ', leaf(value), '\n');
    }
  }
  if (first) out.push('{}\n');
}
