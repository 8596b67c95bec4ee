import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { evaluateSelector, parseSelector, printSelector, SelectorNode, selectorMatches } from '../../src/model/selector';

// Fixed seed: the property runs are the same on every CI run (explore with other seeds locally).
fc.configureGlobal({ seed: 20261125 });

function ast(text: string): SelectorNode {
  const r = parseSelector(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.ast;
}

test('valid selectors parse and print in canonical form', () => {
  const cases: Array<[string, string]> = [
    ['', 'all()'],
    ['all()', 'all()'],
    ['  all( )  ', 'all()'],
    ['global()', 'global()'],
    ['has(rack)', 'has(rack)'],
    ['has( rack )', 'has(rack)'],
    ['!has(rack)', '!has(rack)'],
    ['!!has(rack)', 'has(rack)'],
    ['!!!has(rack)', '!has(rack)'],
    ['rack == "r1"', 'rack == "r1"'],
    ["rack == 'r1'", 'rack == "r1"'],
    ['rack != "r1"', 'rack != "r1"'],
    ['rack=="r1"', 'rack == "r1"'],
    ['\track\t==\t"r1"\t', 'rack == "r1"'],
    ['zone in {"b", "a", "b"}', 'zone in {"a", "b"}'],
    ["zone in {'a',}", 'zone in {"a"}'],
    ['zone in {}', 'zone in {}'],
    ['zone not in {"a"}', 'zone not in {"a"}'],
    ['zone notin {"a"}', 'zone not in {"a"}'],
    ['zone not   in {"a"}', 'zone not in {"a"}'],
    ['name starts with "tor-"', 'name starts with "tor-"'],
    ['name startswith "tor-"', 'name starts with "tor-"'],
    ['name ends with "-a"', 'name ends with "-a"'],
    ['name contains "rack"', 'name contains "rack"'],
    ['topology.kubernetes.io/zone == "eu-1a"', 'topology.kubernetes.io/zone == "eu-1a"'],
    ['node-role.kubernetes.io/worker == ""', 'node-role.kubernetes.io/worker == ""'],
    ['app_name.v2 == "x"', 'app_name.v2 == "x"'],
    ['hasty == "x"', 'hasty == "x"'],
    ['all == "x"', 'all == "x"'],
    ['in == "x"', 'in == "x"'],
    ['a == "x" && b == "y" && c == "z"', '(a == "x" && b == "y" && c == "z")'],
    ['(a == "x")', 'a == "x"'],
  ];
  for (const [input, printed] of cases) {
    assert.equal(printSelector(ast(input)), printed, input);
  }
});

test('&& binds tighter than ||, ! tighter than both, parentheses override', () => {
  assert.deepEqual(ast('a == "1" || b == "2" && c == "3"'), {
    kind: 'or',
    operands: [
      { kind: 'eq', label: 'a', value: '1' },
      { kind: 'and', operands: [{ kind: 'eq', label: 'b', value: '2' }, { kind: 'eq', label: 'c', value: '3' }] },
    ],
  });
  assert.deepEqual(ast('!a == "1" && b == "2"'), {
    kind: 'and',
    operands: [{ kind: 'not', operand: { kind: 'eq', label: 'a', value: '1' } }, { kind: 'eq', label: 'b', value: '2' }],
  });
  assert.deepEqual(ast('(a == "1" || b == "2") && c == "3"'), {
    kind: 'and',
    operands: [
      { kind: 'or', operands: [{ kind: 'eq', label: 'a', value: '1' }, { kind: 'eq', label: 'b', value: '2' }] },
      { kind: 'eq', label: 'c', value: '3' },
    ],
  });
  assert.deepEqual(ast('!(a == "1" || has(b))'), {
    kind: 'not',
    operand: { kind: 'or', operands: [{ kind: 'eq', label: 'a', value: '1' }, { kind: 'has', label: 'b' }] },
  });
  assert.equal(printSelector(ast('a == "1" || b == "2" && c == "3"')), '(a == "1" || (b == "2" && c == "3"))');
});

test('quotes: either kind, the other kind inside, printed with single quotes only when needed', () => {
  assert.deepEqual(ast(`note == 'say "hi"'`), { kind: 'eq', label: 'note', value: 'say "hi"' });
  assert.equal(printSelector(ast(`note == 'say "hi"'`)), `note == 'say "hi"'`);
  assert.deepEqual(ast(`note == "it's"`), { kind: 'eq', label: 'note', value: "it's" });
  assert.equal(printSelector(ast(`note == "it's"`)), `note == "it's"`);
  assert.deepEqual(ast(`a in {'x"y', "z"}`), { kind: 'in', label: 'a', values: ['x"y', 'z'] });
  assert.deepEqual(ast('a == "&& || ! ( ) { }"'), { kind: 'eq', label: 'a', value: '&& || ! ( ) { }' });
});

test('invalid selectors: error with position and what was expected', () => {
  const cases: Array<[string, number, string[], string]> = [
    ['a = "x"', 2, ['"=="'], 'single "=" at position 2; expected "=="'],
    ['a == x', 5, ['a quoted string'], 'unexpected label "x" after "==" at position 5; expected a quoted string'],
    ['a', 1, ['"=="', '"!="', '"in"', '"not in"', '"contains"', '"starts with"', '"ends with"'], 'unexpected end of selector after label "a" at position 1; expected "==", "!=", "in", "not in", "contains", "starts with" or "ends with"'],
    ['rack == "r1" zone == "a"', 13, ['"&&"', '"||"', 'end of selector'], 'unexpected label "zone" at position 13; expected "&&", "||" or end of selector'],
    ['(a == "1"', 9, ['"&&"', '"||"', '")"'], 'unexpected end of selector (to close "(" at position 0) at position 9; expected "&&", "||" or ")"'],
    ['a == "1")', 8, ['"&&"', '"||"', 'end of selector'], 'unexpected ")" at position 8; expected "&&", "||" or end of selector'],
    ['a == "unterminated', 5, ['a closing "'], 'unterminated string starting at position 5; expected a closing "'],
    ["a == 'x", 5, ["a closing '"], "unterminated string starting at position 5; expected a closing '"],
    ['a & b', 2, ['"&&"'], 'single "&" at position 2; expected "&&"'],
    ['a == "1" | b == "2"', 9, ['"||"'], 'single "|" at position 9; expected "||"'],
    ['a in ("x")', 5, ['"{"'], 'unexpected "(" after "in" at position 5; expected "{"'],
    ['a in {"x" "y"}', 10, ['","', '"}"'], 'unexpected quoted string "y" in a set at position 10; expected "," or "}"'],
    ['a in {,}', 6, ['a quoted string', '"}"'], 'unexpected "," in a set at position 6; expected a quoted string or "}"'],
    ['has()', 4, ['a label'], 'unexpected character ")" inside "has(" at position 4; expected a label'],
    ['has(a', 5, ['")"'], 'unexpected end of selector in "has(a" at position 5; expected ")"'],
    ['has (a)', 4, ['"=="', '"!="', '"in"', '"not in"', '"contains"', '"starts with"', '"ends with"'], 'unexpected "(" after label "has" at position 4; expected "==", "!=", "in", "not in", "contains", "starts with" or "ends with"'],
    ['all(x)', 4, ['")"'], 'unexpected character "x" in "all(" at position 4; expected ")"'],
    ['$a == "x"', 0, ['a label', '"has(...)"', '"all()"', '"global()"', '"!"', '"("'], 'unexpected character "$" at position 0; expected a label, "has(...)", "all()", "global()", "!" or "("'],
    ['a == "1" &&', 11, ['a label', '"has(...)"', '"all()"', '"global()"', '"!"', '"("'], 'unexpected end of selector at position 11; expected a label, "has(...)", "all()", "global()", "!" or "("'],
    ['a ==\n"x"', 4, ['a label', '"has(...)"', '"all()"', '"global()"', '"!"', '"("'], 'unexpected newline at position 4; expected a label, "has(...)", "all()", "global()", "!" or "("'],
    ['a startsx "b"', 2, ['"=="', '"!="', '"in"', '"not in"', '"contains"', '"starts with"', '"ends with"'], 'unexpected character "s" after label "a" at position 2; expected "==", "!=", "in", "not in", "contains", "starts with" or "ends with"'],
    ['!', 1, ['a label', '"has(...)"', '"all()"', '"global()"', '"!"', '"("'], 'unexpected end of selector at position 1; expected a label, "has(...)", "all()", "global()", "!" or "("'],
  ];
  for (const [input, position, expected, message] of cases) {
    const r = parseSelector(input);
    assert.equal(r.ok, false, input);
    if (r.ok) continue;
    assert.equal(r.error.message, message, input);
    assert.equal(r.error.position, position, input);
    assert.deepEqual(r.error.expected, expected, input);
  }
});

test('a label longer than 512 characters is refused', () => {
  const ok = parseSelector(`${'a'.repeat(512)} == "x"`);
  assert.equal(ok.ok, true);
  const r = parseSelector(`${'a'.repeat(513)} == "x"`);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error.message, 'label is too long (513 characters; at most 512 are allowed) at position 0');
});

test('evaluation follows Calico semantics (absent labels match != and not in)', () => {
  const node = { rack: 'r1', 'topology.kubernetes.io/zone': 'eu-1a', name: 'tor-a1' };
  const cases: Array<[string, boolean]> = [
    ['', true],
    ['all()', true],
    ['global()', true],
    ['has(rack)', true],
    ['has(spine)', false],
    ['!has(spine)', true],
    ['rack == "r1"', true],
    ['rack == "r2"', false],
    ['spine == ""', false],
    ['rack != "r2"', true],
    ['spine != "x"', true],
    ['rack in {"r1", "r2"}', true],
    ['spine in {"x"}', false],
    ['rack not in {"r1"}', false],
    ['spine not in {"x"}', true],
    ['name starts with "tor-"', true],
    ['name ends with "-a1"', true],
    ['name contains "r-a"', true],
    ['spine contains ""', false],
    ['topology.kubernetes.io/zone == "eu-1a" && rack == "r1"', true],
    ['rack == "r2" || name starts with "tor"', true],
    ['!(rack == "r1" && has(name))', false],
    ['toString == "x"', false],
  ];
  for (const [sel, expected] of cases) {
    assert.equal(selectorMatches(sel, node), expected, sel);
  }
  assert.throws(() => selectorMatches('rack =', node), /Invalid selector "rack =": single "=" at position 5/);
});

// ------------------------------------------------------------------------------------------
// Properties

const labelArb = fc.stringMatching(/^[a-zA-Z0-9_./-]{1,12}$/);
const valueArb = fc.string({ maxLength: 12 }).filter((s) => !(s.includes('"') && s.includes("'")));
const leafArb: fc.Arbitrary<SelectorNode> = fc.oneof(
  fc.constant<SelectorNode>({ kind: 'all' }),
  fc.constant<SelectorNode>({ kind: 'global' }),
  labelArb.map((label): SelectorNode => ({ kind: 'has', label })),
  fc.tuple(fc.constantFrom('eq', 'ne', 'contains', 'startsWith', 'endsWith') as fc.Arbitrary<'eq'>, labelArb, valueArb).map(([kind, label, value]): SelectorNode => ({ kind, label, value })),
  fc.tuple(fc.constantFrom('in', 'notIn') as fc.Arbitrary<'in'>, labelArb, fc.uniqueArray(valueArb, { maxLength: 4 })).map(([kind, label, values]): SelectorNode => ({ kind, label, values: [...values].sort() })),
);
const { node: nodeArb } = fc.letrec<{ node: SelectorNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    tie('node')
      .filter((n) => n.kind !== 'not')
      .map((operand): SelectorNode => ({ kind: 'not', operand })),
    fc.tuple(fc.constantFrom('and', 'or') as fc.Arbitrary<'and'>, fc.array(tie('node'), { minLength: 2, maxLength: 3 })).map(([kind, operands]): SelectorNode => ({ kind, operands })),
  ),
}));

test('printing a selector and parsing it again gives the same AST (property)', () => {
  fc.assert(
    fc.property(nodeArb, (node) => {
      const printed = printSelector(node);
      const r = parseSelector(printed);
      assert.ok(r.ok, `${printed}: ${!r.ok ? r.error.message : ''}`);
      assert.deepEqual(r.ast, node);
    }),
  );
});

test('parse(print(parse(s))) is stable for any string that parses (property)', () => {
  const selectorish = fc.array(fc.constantFrom('a', 'b.c/d', ' ', '==', '!=', '"x"', "'y'", '&&', '||', '!', '(', ')', 'has(a)', 'all()', 'in', 'not in', '{', '}', ',', 'starts with', 'contains'), { maxLength: 14 }).map((parts) => parts.join(' '));
  fc.assert(
    fc.property(fc.oneof(fc.string(), selectorish), (text) => {
      const r = parseSelector(text);
      if (!r.ok) {
        assert.ok(r.error.position >= 0 && r.error.position <= text.length, `position ${r.error.position} in ${JSON.stringify(text)}`);
        return;
      }
      const again = parseSelector(printSelector(r.ast));
      assert.ok(again.ok);
      assert.deepEqual(again.ast, r.ast);
    }),
  );
});

test('the parser and evaluator never throw on arbitrary input (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), fc.dictionary(labelArb, valueArb), (text, labels) => {
      const r = parseSelector(text);
      if (r.ok) evaluateSelector(r.ast, labels);
    }),
  );
  assert.equal(parseSelector(42 as unknown as string).ok, false);
});

test('deep nesting: 3,000 "(" is refused with a clear error, not a stack overflow; 100 levels parse', () => {
  const deep = parseSelector('('.repeat(3000));
  assert.equal(deep.ok, false);
  if (!deep.ok) {
    assert.equal(deep.error.position, 100);
    assert.match(deep.error.message, /parentheses nested more than 100 levels deep/);
  }
  const closed = parseSelector(`${'('.repeat(3000)}all()${')'.repeat(3000)}`);
  assert.equal(closed.ok, false);
  const ok = parseSelector(`${'('.repeat(100)}a == "x"${')'.repeat(100)}`);
  assert.ok(ok.ok);
  if (ok.ok) assert.equal(printSelector(ok.ast), 'a == "x"');
  // Long flat selectors and long "!" runs are loops, not recursion.
  assert.ok(parseSelector(Array.from({ length: 20000 }, (_, i) => `l${i} == "v"`).join(' && ')).ok);
  assert.ok(parseSelector(`${'!'.repeat(100000)}all()`).ok);
  assert.equal(selectorMatches(`${'('.repeat(50)}has(a)${')'.repeat(50)} || b == "c"`, { a: '1' }), true);
});
