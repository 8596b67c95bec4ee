/**
 * Calico label selectors (`nodeSelector`, `peerSelector`, `namespaceSelector`...): a tokenizer and
 * recursive-descent parser that accept exactly what libcalico-go's selector package accepts
 * (libcalico-go/lib/selector/tokenizer/tokenizer.go and parser/parser.go), an evaluator against a
 * label map (parser/ast.go semantics) and a printer producing Calico's canonical text.
 *
 * Grammar (lowest precedence first):
 *
 *     selector  := <empty> | or
 *     or        := and ( "||" and )*
 *     and       := operation ( "&&" operation )*
 *     operation := "!"* ( "all()" | "global()" | "has(" label ")" | "(" or ")"
 *                       | label ( "==" | "!=" | "contains" | "starts with" | "ends with" ) string
 *                       | label ( "in" | "not in" ) "{" [ string ( "," string )* [","] ] "}" )
 *     label     := [a-zA-Z0-9_./-]+   (at most 512 characters; e.g. "topology.kubernetes.io/zone")
 *     string    := '"' any-but-'"' '"' | "'" any-but-"'" "'"
 *
 * Whitespace is spaces and tabs only (Calico rejects newlines inside a selector). An empty
 * selector means `all()`.
 */

/** A parsed selector. Sets are sorted and de-duplicated, as Calico stores them. */
export type SelectorNode =
  | { readonly kind: 'all' }
  | { readonly kind: 'global' }
  | { readonly kind: 'has'; readonly label: string }
  | { readonly kind: 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith'; readonly label: string; readonly value: string }
  | { readonly kind: 'in' | 'notIn'; readonly label: string; readonly values: readonly string[] }
  | { readonly kind: 'not'; readonly operand: SelectorNode }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly SelectorNode[] };

/** Why a selector does not parse. */
export interface SelectorError {
  /** Zero-based character offset of the problem in the selector text. */
  readonly position: number;
  /** What was expected there, e.g. `["&&", "||", "end of selector"]`. */
  readonly expected: readonly string[];
  /** One sentence: what is wrong, where, and what was expected. */
  readonly message: string;
}

/** Outcome of {@link parseSelector}. */
export type SelectorParseResult = { readonly ok: true; readonly ast: SelectorNode } | { readonly ok: false; readonly error: SelectorError };

/** Longest label Calico's tokenizer accepts (tokenizer.MaxLabelLength). */
export const MAX_SELECTOR_LABEL_LENGTH = 512;

type TokKind =
  | 'label' | 'string' | 'lbrace' | 'rbrace' | 'comma' | 'eq' | 'ne' | 'in' | 'not' | 'notIn'
  | 'contains' | 'startsWith' | 'endsWith' | 'all' | 'has' | 'lparen' | 'rparen' | 'and' | 'or' | 'global' | 'eof';

interface Token {
  readonly kind: TokKind;
  readonly value: string;
  /** Offset of the token's first character. */
  readonly pos: number;
}

const TOKEN_TEXT: Record<TokKind, string> = {
  label: 'label', string: 'quoted string', lbrace: '"{"', rbrace: '"}"', comma: '","', eq: '"=="', ne: '"!="',
  in: '"in"', not: '"!"', notIn: '"not in"', contains: '"contains"', startsWith: '"starts with"', endsWith: '"ends with"',
  all: '"all()"', has: '"has(...)"', lparen: '"("', rparen: '")"', and: '"&&"', or: '"||"', global: '"global()"', eof: 'end of selector',
};

class ParseFailure {
  constructor(public readonly error: SelectorError) {}
}

function failAt(position: number, expected: readonly string[], what: string): never {
  const exp = expected.length > 0 ? `; expected ${expected.length === 1 ? expected[0] : `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`}` : '';
  throw new ParseFailure({ position, expected, message: `${what} at position ${position}${exp}` });
}

function identifierChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '.' || c === '/' || c === '-';
}

function describeChar(c: string | undefined): string {
  if (c === undefined) return 'end of selector';
  if (c === '\n') return 'newline';
  if (c === '\r') return 'carriage return';
  return `character ${JSON.stringify(c)}`;
}

const OPERAND_START = ['a label', '"has(...)"', '"all()"', '"global()"', '"!"', '"("'];
const OPERATORS = ['"=="', '"!="', '"in"', '"not in"', '"contains"', '"starts with"', '"ends with"'];

/** Splits a selector into tokens, mirroring libcalico-go's tokenizer.AppendTokens. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const skipWs = (): void => {
    while (i < input.length && (input[i] === ' ' || input[i] === '\t')) i++;
  };
  const isWordBoundary = (at: number): boolean => at >= input.length || !identifierChar(input[at]);
  // Go: cutPrefixCheckBreak for one word, cutMultiWordPrefixCheckBreak (which skips whitespace
  // after every word, so "notin" and "not   in" both work) for two; then a word boundary.
  const cutWords = (words: readonly string[]): number | undefined => {
    let j = i;
    for (const w of words) {
      if (!input.startsWith(w, j)) return undefined;
      j += w.length;
      if (words.length > 1) while (j < input.length && (input[j] === ' ' || input[j] === '\t')) j++;
    }
    return isWordBoundary(j) ? j : undefined;
  };
  const cutIdentifier = (): string => {
    const start = i;
    while (i < input.length && identifierChar(input[i])) i++;
    const ident = input.slice(start, i);
    if (ident.length === 0) failAt(start, OPERAND_START, `unexpected ${describeChar(input[start])}`);
    if (ident.length > MAX_SELECTOR_LABEL_LENGTH) failAt(start, [], `label is too long (${ident.length} characters; at most ${MAX_SELECTOR_LABEL_LENGTH} are allowed)`);
    return ident;
  };
  for (;;) {
    skipWs();
    const pos = i;
    if (i >= input.length) {
      tokens.push({ kind: 'eof', value: '', pos });
      return tokens;
    }
    const last = tokens.length > 0 ? tokens[tokens.length - 1].kind : undefined;
    const c = input[i];
    switch (c) {
      case '(': tokens.push({ kind: 'lparen', value: '', pos }); i++; continue;
      case ')': tokens.push({ kind: 'rparen', value: '', pos }); i++; continue;
      case '{': tokens.push({ kind: 'lbrace', value: '', pos }); i++; continue;
      case '}': tokens.push({ kind: 'rbrace', value: '', pos }); i++; continue;
      case ',': tokens.push({ kind: 'comma', value: '', pos }); i++; continue;
      case '"':
      case "'": {
        const close = input.indexOf(c, i + 1);
        if (close < 0) failAt(pos, [`a closing ${c}`], `unterminated string starting`);
        tokens.push({ kind: 'string', value: input.slice(i + 1, close), pos });
        i = close + 1;
        continue;
      }
      case '=':
        if (input.startsWith('==', i)) { tokens.push({ kind: 'eq', value: '', pos }); i += 2; continue; }
        return failAt(pos, ['"=="'], 'single "="');
      case '!':
        if (input.startsWith('!=', i)) { tokens.push({ kind: 'ne', value: '', pos }); i += 2; continue; }
        tokens.push({ kind: 'not', value: '', pos }); i++; continue;
      case '&':
        if (input.startsWith('&&', i)) { tokens.push({ kind: 'and', value: '', pos }); i += 2; continue; }
        return failAt(pos, ['"&&"'], 'single "&"');
      case '|':
        if (input.startsWith('||', i)) { tokens.push({ kind: 'or', value: '', pos }); i += 2; continue; }
        return failAt(pos, ['"||"'], 'single "|"');
      default:
        break;
    }
    if (last === 'label') {
      // After a label only an operator word may follow.
      const ops: Array<[TokKind, string[]]> = [
        ['contains', ['contains']], ['startsWith', ['starts', 'with']], ['endsWith', ['ends', 'with']],
        ['notIn', ['not', 'in']], ['in', ['in']],
      ];
      let matched = false;
      for (const [kind, words] of ops) {
        const end = cutWords(words);
        if (end !== undefined) {
          tokens.push({ kind, value: '', pos });
          i = end;
          matched = true;
          break;
        }
      }
      if (!matched) failAt(pos, OPERATORS, `unexpected ${describeChar(c)} after label ${JSON.stringify(tokens[tokens.length - 1].value)}`);
      continue;
    }
    if (input.startsWith('has(', i)) {
      i += 4;
      skipWs();
      const labelPos = i;
      if (i >= input.length || !identifierChar(input[i])) failAt(labelPos, ['a label'], `unexpected ${describeChar(input[i])} inside "has("`);
      const ident = cutIdentifier();
      skipWs();
      if (input[i] !== ')') failAt(i, ['")"'], `unexpected ${describeChar(input[i])} in "has(${ident}"`);
      i++;
      tokens.push({ kind: 'has', value: ident, pos });
      continue;
    }
    if (input.startsWith('all(', i) || input.startsWith('global(', i)) {
      const kind: TokKind = input.startsWith('all(', i) ? 'all' : 'global';
      i += kind === 'all' ? 4 : 7;
      skipWs();
      if (input[i] !== ')') failAt(i, ['")"'], `unexpected ${describeChar(input[i])} in "${kind}("`);
      i++;
      tokens.push({ kind, value: '', pos });
      continue;
    }
    tokens.push({ kind: 'label', value: cutIdentifier(), pos });
  }
}

/**
 * Deepest nesting of parentheses the parser follows. libcalico-go's parser has no limit (Go stacks
 * grow), but every level costs JavaScript stack frames here, in the parser and in the printer and
 * evaluator: past this depth a selector is refused with a clear error instead of overflowing the
 * stack. Real selectors nest a few levels.
 */
export const MAX_SELECTOR_NESTING = 100;

class Parser {
  private k = 0;
  private depth = 0;
  constructor(private readonly toks: readonly Token[]) {}

  private peek(): Token {
    return this.toks[this.k];
  }

  private next(): Token {
    const t = this.toks[this.k];
    if (t.kind !== 'eof') this.k++;
    return t;
  }

  private unexpected(t: Token, expected: readonly string[], context = ''): never {
    const what = t.kind === 'eof' ? `unexpected end of selector${context}` : `unexpected ${TOKEN_TEXT[t.kind]}${t.kind === 'label' || t.kind === 'string' ? ` ${JSON.stringify(t.value)}` : ''}${context}`;
    return failAt(t.pos, expected, what);
  }

  public parseRoot(): SelectorNode {
    if (this.peek().kind === 'eof') return { kind: 'all' };
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') this.unexpected(t, ['"&&"', '"||"', 'end of selector']);
    return node;
  }

  private parseOr(): SelectorNode {
    const operands = [this.parseAnd()];
    while (this.peek().kind === 'or') {
      this.next();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(): SelectorNode {
    const operands = [this.parseOperation()];
    while (this.peek().kind === 'and') {
      this.next();
      operands.push(this.parseOperation());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private parseOperation(): SelectorNode {
    let negated = false;
    while (this.peek().kind === 'not') {
      this.next();
      negated = !negated;
    }
    const t = this.next();
    let node: SelectorNode;
    switch (t.kind) {
      case 'has': node = { kind: 'has', label: t.value }; break;
      case 'all': node = { kind: 'all' }; break;
      case 'global': node = { kind: 'global' }; break;
      case 'lparen': {
        if (++this.depth > MAX_SELECTOR_NESTING) {
          failAt(t.pos, [], `parentheses nested more than ${MAX_SELECTOR_NESTING} levels deep (this checker follows at most ${MAX_SELECTOR_NESTING}; write the selector with fewer levels)`);
        }
        node = this.parseOr();
        this.depth--;
        const close = this.peek();
        if (close.kind !== 'rparen') this.unexpected(close, ['"&&"', '"||"', '")"'], ` (to close "(" at position ${t.pos})`);
        this.next();
        break;
      }
      case 'label': node = this.parseLabelOperation(t); break;
      default:
        return this.unexpected(t, OPERAND_START);
    }
    return negated ? { kind: 'not', operand: node } : node;
  }

  private parseLabelOperation(label: Token): SelectorNode {
    const op = this.next();
    switch (op.kind) {
      case 'eq':
      case 'ne':
      case 'contains':
      case 'startsWith':
      case 'endsWith': {
        const v = this.next();
        if (v.kind !== 'string') this.unexpected(v, ['a quoted string'], ` after ${TOKEN_TEXT[op.kind]}`);
        return { kind: op.kind, label: label.value, value: v.value };
      }
      case 'in':
      case 'notIn': {
        const open = this.next();
        if (open.kind !== 'lbrace') this.unexpected(open, ['"{"'], ` after ${TOKEN_TEXT[op.kind]}`);
        const values: string[] = [];
        // As Calico: strings separated by commas, a trailing comma allowed, then "}".
        while (this.peek().kind === 'string') {
          values.push(this.next().value);
          if (this.peek().kind !== 'comma') break;
          this.next();
        }
        const close = this.peek();
        if (close.kind !== 'rbrace') this.unexpected(close, values.length === 0 ? ['a quoted string', '"}"'] : ['","', '"}"'], ' in a set');
        this.next();
        return { kind: op.kind, label: label.value, values: [...new Set(values)].sort() };
      }
      default:
        return this.unexpected(op, OPERATORS, ` after label ${JSON.stringify(label.value)}`);
    }
  }
}

/**
 * Parses a Calico selector. Never throws: bad input yields an error with the position and what
 * was expected there.
 */
export function parseSelector(text: string): SelectorParseResult {
  try {
    if (typeof text !== 'string') {
      return { ok: false, error: { position: 0, expected: ['a selector string'], message: 'a selector must be a string' } };
    }
    return { ok: true, ast: new Parser(tokenize(text)).parseRoot() };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.error };
    throw e;
  }
}

function quote(s: string): string {
  return s.includes('"') ? `'${s}'` : `"${s}"`;
}

/** Prints a selector in Calico's canonical form (parser/ast.go collectFragments): `(a == "x" && has(b))`. */
export function printSelector(node: SelectorNode): string {
  switch (node.kind) {
    case 'all': return 'all()';
    case 'global': return 'global()';
    case 'has': return `has(${node.label})`;
    case 'eq': return `${node.label} == ${quote(node.value)}`;
    case 'ne': return `${node.label} != ${quote(node.value)}`;
    case 'contains': return `${node.label} contains ${quote(node.value)}`;
    case 'startsWith': return `${node.label} starts with ${quote(node.value)}`;
    case 'endsWith': return `${node.label} ends with ${quote(node.value)}`;
    case 'in': return `${node.label} in {${node.values.map(quote).join(', ')}}`;
    case 'notIn': return `${node.label} not in {${node.values.map(quote).join(', ')}}`;
    case 'not': return `!${printSelector(node.operand)}`;
    case 'and': return `(${node.operands.map(printSelector).join(' && ')})`;
    case 'or': return `(${node.operands.map(printSelector).join(' || ')})`;
  }
}

/** Label map a selector is evaluated against. */
export type Labels = Readonly<Record<string, string>>;

function label(labels: Labels, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(labels, name) ? labels[name] : undefined;
}

/**
 * Whether `labels` match the selector, with Calico's semantics: `!=` and `not in` match when the
 * label is absent; `==`, `in`, `contains`, `starts with`, `ends with` need the label present.
 */
export function evaluateSelector(node: SelectorNode, labels: Labels): boolean {
  switch (node.kind) {
    case 'all':
    case 'global':
      return true;
    case 'has': return label(labels, node.label) !== undefined;
    case 'eq': { const v = label(labels, node.label); return v !== undefined && v === node.value; }
    case 'ne': { const v = label(labels, node.label); return v === undefined || v !== node.value; }
    case 'contains': { const v = label(labels, node.label); return v !== undefined && v.includes(node.value); }
    case 'startsWith': { const v = label(labels, node.label); return v !== undefined && v.startsWith(node.value); }
    case 'endsWith': { const v = label(labels, node.label); return v !== undefined && v.endsWith(node.value); }
    case 'in': { const v = label(labels, node.label); return v !== undefined && node.values.includes(v); }
    case 'notIn': { const v = label(labels, node.label); return v === undefined || !node.values.includes(v); }
    case 'not': return !evaluateSelector(node.operand, labels);
    case 'and': return node.operands.every((o) => evaluateSelector(o, labels));
    case 'or': return node.operands.some((o) => evaluateSelector(o, labels));
  }
}

/**
 * Whether `labels` match the selector text.
 * @throws Error with the parse error if the selector is invalid.
 */
export function selectorMatches(text: string, labels: Labels): boolean {
  const r = parseSelector(text);
  if (!r.ok) throw new Error(`Invalid selector ${JSON.stringify(text)}: ${r.error.message}`);
  return evaluateSelector(r.ast, labels);
}

