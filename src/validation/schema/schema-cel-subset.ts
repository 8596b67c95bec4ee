import { isPlainObject } from '../../model/values';

/**
 * A fast path for the CEL validation rules of the Calico and Tigera CRDs.
 *
 * Why: @marcbachmann/cel-js costs ~22 ms to load (its module initialisation registers every
 * built-in overload) plus ~0.5 ms per rule parsed, which alone is most of the validation budget
 * of a synth (~30 ms), while the vendored Calico rules use a small, fixed part of CEL:
 * `has()`, `size()`, `==`/`!=`/`<`..., `&&`/`||`/`!`, `?:`, string `startsWith`/`endsWith`/
 * `contains`, list `exists`/`all`, and literals. This module compiles exactly that part to
 * closures, with CEL's semantics (commutative `&&`/`||` over errors, heterogeneous equality,
 * errors for missing keys and wrong operand types, as cel-js evaluates them).
 *
 * Anything else (other functions, arithmetic, indexing, macros, literal forms...) makes
 * {@link compileCelSubset} return undefined, and a value it does not model (timestamps, bytes)
 * makes evaluation throw {@link CelSubsetUnsupported}: the caller then uses cel-js, which stays
 * the reference. The tests run every vendored rule through both on random values and require
 * the same outcome.
 */

/** Thrown at evaluation when a value is outside the subset (e.g. a timestamp): use cel-js instead. */
export class CelSubsetUnsupported extends Error {}

/** A rule compiled by the subset. */
export interface CelSubsetProgram {
  /** Whether the expression reads `oldSelf` (a transition rule). */
  readonly isTransitionRule: boolean;
  /**
   * Evaluates with `self`.
   * @returns the value (a bool for a rule)
   * @throws Error with CEL's message on a CEL evaluation error (no such key, no such overload...)
   * @throws CelSubsetUnsupported when a value is outside the subset
   */
  evaluate(self: unknown): unknown;
}

/** A CEL evaluation error, carried as a value so that `&&`, `||` and macros can absorb it. */
class CelError {
  constructor(readonly message: string) {}
}

type Scope = Readonly<Record<string, unknown>>;
type Node = (scope: Scope) => unknown;

/** Raised while compiling when the expression is outside the subset. */
class NotInSubset extends Error {}

// ---------------------------------------------------------------------------------------------
// Values

type Kind = 'int' | 'double' | 'string' | 'bool' | 'null' | 'list' | 'map';

function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      if (v === null) return 'null';
      if (Array.isArray(v)) return 'list';
      if (isPlainObject(v)) return 'map';
      throw new CelSubsetUnsupported(`value ${Object.prototype.toString.call(v)} is outside the CEL subset`);
  }
}

function isNumeric(k: Kind): boolean {
  return k === 'int' || k === 'double';
}

/** CEL heterogeneous equality: numbers compare across int/double, containers deeply, other kinds never equal. */
function equals(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (isNumeric(ka) && isNumeric(kb)) return ka === kb ? a === b : Number(a) === Number(b);
  if (ka !== kb) return false;
  if (ka === 'list') {
    const x = a as unknown[];
    const y = b as unknown[];
    return x.length === y.length && x.every((e, i) => equals(e, y[i]));
  }
  if (ka === 'map') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const keys = Object.keys(x).filter((k) => x[k] !== undefined);
    if (keys.length !== Object.keys(y).filter((k) => y[k] !== undefined).length) return false;
    return keys.every((k) => Object.prototype.hasOwnProperty.call(y, k) && y[k] !== undefined && equals(x[k], y[k]));
  }
  return a === b;
}

function compare(op: string, a: unknown, b: unknown): boolean | CelError {
  const ka = kindOf(a);
  const kb = kindOf(b);
  let c: number;
  if (isNumeric(ka) && isNumeric(kb)) {
    if (ka === 'int' && kb === 'int') c = (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0;
    else c = Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  } else if (ka === 'string' && kb === 'string') {
    c = (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  } else if (ka === 'bool' && kb === 'bool') {
    c = Number(a) - Number(b);
  } else {
    return new CelError(`no such overload: ${ka} ${op} ${kb}`);
  }
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function size(v: unknown): bigint | CelError {
  const k = kindOf(v);
  if (k === 'string') return BigInt(codePoints(v as string));
  if (k === 'list') return BigInt((v as unknown[]).length);
  if (k === 'map') return BigInt(Object.keys(v as object).filter((key) => (v as Record<string, unknown>)[key] !== undefined).length);
  return new CelError(`found no matching overload for 'size(${k})'`);
}

function select(v: unknown, field: string): unknown {
  if (v instanceof CelError) return v;
  const k = kindOf(v);
  if (k === 'map') {
    const m = v as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(m, field) && m[field] !== undefined) return m[field];
  }
  return new CelError(`No such key: ${field}`);
}

function presence(v: unknown, field: string): unknown {
  if (v instanceof CelError) return v;
  if (kindOf(v) !== 'map') return false;
  const m = v as Record<string, unknown>;
  return Object.prototype.hasOwnProperty.call(m, field) && m[field] !== undefined;
}

function logical(op: '&&' | '||', a: unknown, b: () => unknown): unknown {
  const absorbing = op === '||';
  if (a === absorbing) return a;
  const bv = b();
  if (bv === absorbing) return bv;
  if (a instanceof CelError) return a;
  if (bv instanceof CelError) return bv;
  if (typeof a !== 'boolean') return new CelError(`Logical operator requires bool operands, got '${kindOf(a)}'`);
  if (typeof bv !== 'boolean') return new CelError(`Logical operator requires bool operands, got '${kindOf(bv)}'`);
  return !absorbing;
}

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { readonly t: 'punct'; readonly v: string }
  | { readonly t: 'ident'; readonly v: string }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'int'; readonly v: bigint }
  | { readonly t: 'double'; readonly v: number }
  | { readonly t: 'end' };

const PUNCT = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '.', ',', '?', ':', '-'];
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      if (src.startsWith(c.repeat(3), i)) throw new NotInSubset('triple-quoted string');
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new NotInSubset('unterminated string');
        const d = src[i];
        if (d === c) break;
        if (d === '\n') throw new NotInSubset('newline in string');
        if (d === '\\') {
          const e = ESCAPES[src[i + 1]];
          if (e === undefined) throw new NotInSubset('escape');
          s += e;
          i += 2;
          continue;
        }
        s += d;
        i++;
      }
      i++;
      out.push({ t: 'string', v: s });
      continue;
    }
    const num = /^(\d+)(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i, i + 40));
    if (num && /\d/.test(c)) {
      const after = src[i + num[0].length];
      if (after !== undefined && /[A-Za-z_.]/.test(after)) throw new NotInSubset('number form');
      if (num[1].length > 1 && num[1].startsWith('0')) throw new NotInSubset('number form');
      out.push(num[2] !== undefined || num[3] !== undefined ? { t: 'double', v: Number(num[0]) } : { t: 'int', v: BigInt(num[1]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 200));
    if (id) {
      out.push({ t: 'ident', v: id[0] });
      i += id[0].length;
      continue;
    }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (p === undefined) throw new NotInSubset(`character ${c}`);
    out.push({ t: 'punct', v: p });
    i += p.length;
  }
  out.push({ t: 'end' });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parser (CEL precedence: ?: < || < && < relations < unary < member), compiling to closures

const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

class Parser {
  private pos = 0;
  usesOldSelf = false;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): Node {
    const n = this.expr(new Set(['self', 'oldSelf']));
    if (this.peek().t !== 'end') throw new NotInSubset('trailing input');
    return n;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private isPunct(v: string): boolean {
    const t = this.peek();
    return t.t === 'punct' && t.v === v;
  }

  private expect(v: string): void {
    if (!this.isPunct(v)) throw new NotInSubset(`expected ${v}`);
    this.pos++;
  }

  private ident(): string {
    const t = this.peek();
    if (t.t !== 'ident') throw new NotInSubset('expected identifier');
    this.pos++;
    return t.v;
  }

  private expr(vars: ReadonlySet<string>): Node {
    const cond = this.or(vars);
    if (!this.isPunct('?')) return cond;
    this.pos++;
    const yes = this.or(vars);
    this.expect(':');
    const no = this.expr(vars);
    return (s) => {
      const c = cond(s);
      if (c instanceof CelError) return c;
      if (typeof c !== 'boolean') return new CelError(`Ternary condition must be bool, got '${kindOf(c)}'`);
      return c ? yes(s) : no(s);
    };
  }

  private or(vars: ReadonlySet<string>): Node {
    let left = this.and(vars);
    while (this.isPunct('||')) {
      this.pos++;
      const l = left;
      const r = this.and(vars);
      left = (s) => logical('||', l(s), () => r(s));
    }
    return left;
  }

  private and(vars: ReadonlySet<string>): Node {
    let left = this.relation(vars);
    while (this.isPunct('&&')) {
      this.pos++;
      const l = left;
      const r = this.relation(vars);
      left = (s) => logical('&&', l(s), () => r(s));
    }
    return left;
  }

  private relation(vars: ReadonlySet<string>): Node {
    let left = this.unary(vars);
    for (;;) {
      const t = this.peek();
      if (t.t === 'ident' && t.v === 'in') throw new NotInSubset('in');
      if (t.t !== 'punct' || !['==', '!=', '<', '<=', '>', '>='].includes(t.v)) return left;
      this.pos++;
      const op = t.v;
      const l = left;
      const r = this.unary(vars);
      left = (s) => {
        const a = l(s);
        if (a instanceof CelError) return a;
        const b = r(s);
        if (b instanceof CelError) return b;
        if (op === '==') return equals(a, b);
        if (op === '!=') return !equals(a, b);
        return compare(op, a, b);
      };
    }
  }

  private unary(vars: ReadonlySet<string>): Node {
    if (this.isPunct('!')) {
      this.pos++;
      const operand = this.unary(vars);
      return (s) => {
        const v = operand(s);
        if (v instanceof CelError) return v;
        if (typeof v !== 'boolean') return new CelError(`no such overload: !${kindOf(v)}`);
        return !v;
      };
    }
    if (this.isPunct('-')) {
      this.pos++;
      const t = this.peek();
      if (t.t === 'int') {
        this.pos++;
        const v = -t.v;
        return this.member(() => v, vars);
      }
      if (t.t === 'double') {
        this.pos++;
        const v = -t.v;
        return this.member(() => v, vars);
      }
      throw new NotInSubset('unary minus');
    }
    return this.member(this.primary(vars), vars);
  }

  private primary(vars: ReadonlySet<string>): Node {
    const t = this.peek();
    this.pos++;
    switch (t.t) {
      case 'string':
      case 'int':
      case 'double': {
        const v = t.v;
        return () => v;
      }
      case 'punct':
        if (t.v === '(') {
          const inner = this.expr(vars);
          this.expect(')');
          return inner;
        }
        throw new NotInSubset(`unexpected ${t.v}`);
      case 'ident': {
        if (t.v === 'true' || t.v === 'false') {
          const v = t.v === 'true';
          return () => v;
        }
        if (t.v === 'null') return () => null;
        if (this.isPunct('(')) return this.globalCall(t.v, vars);
        if (RESERVED.has(t.v) || !vars.has(t.v)) throw new NotInSubset(`identifier ${t.v}`);
        if (t.v === 'oldSelf') this.usesOldSelf = true;
        const name = t.v;
        return (s) => {
          const v = s[name];
          return v === undefined ? new CelError(`Unknown variable: ${name}`) : v;
        };
      }
      default:
        throw new NotInSubset('unexpected end');
    }
  }

  private globalCall(name: string, vars: ReadonlySet<string>): Node {
    this.expect('(');
    if (name === 'has') {
      // has(x.f): the macro tests presence of f on x.
      const start = this.pos;
      const target = this.hasTarget(vars);
      if (target === undefined) {
        this.pos = start;
        throw new NotInSubset('has() argument');
      }
      this.expect(')');
      const [obj, field] = target;
      return (s) => presence(obj(s), field);
    }
    if (name === 'size') {
      const arg = this.expr(vars);
      this.expect(')');
      return (s) => {
        const v = arg(s);
        return v instanceof CelError ? v : size(v);
      };
    }
    throw new NotInSubset(`function ${name}`);
  }

  /** The `x` and `f` of `has(x.f)`: a member chain ending in a field selection. */
  private hasTarget(vars: ReadonlySet<string>): [Node, string] | undefined {
    const t = this.peek();
    if (t.t !== 'ident' || !vars.has(t.v)) return undefined;
    let node = this.primary(vars);
    let last: string | undefined;
    while (this.isPunct('.')) {
      this.pos++;
      const field = this.ident();
      if (this.isPunct('(')) return undefined;
      if (last !== undefined) {
        const prev = node;
        const f = last;
        node = (s) => select(prev(s), f);
      }
      last = field;
    }
    return last === undefined ? undefined : [node, last];
  }

  private member(start: Node, vars: ReadonlySet<string>): Node {
    let node = start;
    for (;;) {
      if (this.isPunct('.')) {
        this.pos++;
        const name = this.ident();
        if (this.isPunct('(')) node = this.method(node, name, vars);
        else {
          const target = node;
          node = (s) => select(target(s), name);
        }
        continue;
      }
      return node;
    }
  }

  private method(target: Node, name: string, vars: ReadonlySet<string>): Node {
    this.expect('(');
    if (name === 'exists' || name === 'all') {
      const v = this.ident();
      if (RESERVED.has(v)) throw new NotInSubset('macro variable');
      this.expect(',');
      const pred = this.expr(new Set([...vars, v]));
      this.expect(')');
      const wantAny = name === 'exists';
      return (s) => {
        const range = target(s);
        if (range instanceof CelError) return range;
        const k = kindOf(range);
        if (k !== 'list' && k !== 'map') return new CelError(`found no matching overload for '${k}.${name}'`);
        const items = k === 'list' ? (range as unknown[]) : Object.keys(range as object);
        let err: CelError | undefined;
        for (const item of items) {
          const r = pred({ ...s, [v]: item });
          if (r === wantAny) return wantAny;
          if (r instanceof CelError) err ??= r;
          else if (typeof r !== 'boolean') err ??= new CelError(`${name} predicate must return bool, got '${kindOf(r)}'`);
        }
        return err ?? !wantAny;
      };
    }
    const args: Node[] = [];
    if (!this.isPunct(')')) {
      args.push(this.expr(vars));
      while (this.isPunct(',')) {
        this.pos++;
        args.push(this.expr(vars));
      }
    }
    this.expect(')');
    if (name === 'size' && args.length === 0) {
      return (s) => {
        const v = target(s);
        return v instanceof CelError ? v : size(v);
      };
    }
    if ((name === 'startsWith' || name === 'endsWith' || name === 'contains') && args.length === 1) {
      const [arg] = args;
      return (s) => {
        const recv = target(s);
        if (recv instanceof CelError) return recv;
        const a = arg(s);
        if (a instanceof CelError) return a;
        const kr = kindOf(recv);
        const ka = kindOf(a);
        if (kr !== 'string' || ka !== 'string') return new CelError(`found no matching overload for '${kr}.${name}(${ka})'`);
        const r = recv as string;
        const x = a as string;
        return name === 'startsWith' ? r.startsWith(x) : name === 'endsWith' ? r.endsWith(x) : r.includes(x);
      };
    }
    throw new NotInSubset(`method ${name}`);
  }
}

/**
 * Compiles a CEL expression if it lies in the subset.
 * @returns the program, or undefined when the expression needs full CEL (use cel-js).
 */
export function compileCelSubset(expression: string): CelSubsetProgram | undefined {
  let root: Node;
  let usesOldSelf: boolean;
  try {
    const parser = new Parser(tokenize(expression));
    root = parser.parseAll();
    usesOldSelf = parser.usesOldSelf;
  } catch (e) {
    if (e instanceof NotInSubset) return undefined;
    throw e;
  }
  return {
    isTransitionRule: usesOldSelf,
    evaluate(self: unknown): unknown {
      const v = root({ self });
      if (v instanceof CelError) throw new Error(v.message);
      return v;
    },
  };
}
