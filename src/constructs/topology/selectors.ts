import { SelectorNode, parseSelector } from '../../model/selector';

/**
 * Builds the Calico selectors the topologies write (`rack == "r1"`, `(rack == "r1") && !(...)`).
 * Parts are parenthesised when combined, so a user's selector with `||` keeps its meaning.
 */

/** `label == "value"`, quoted as Calico prints it (single quotes when the value holds a `"`). */
export function labelEquals(label: string, value: string): string {
  return `${label} == ${value.includes('"') ? `'${value}'` : `"${value}"`}`;
}

/** Whether the selector text needs parentheses to be one operand of `&&` or `!`. */
function atomic(selector: string): boolean {
  const r = parseSelector(selector);
  if (!r.ok) return false;
  return r.ast.kind !== 'and' && r.ast.kind !== 'or';
}

const wrap = (s: string) => (atomic(s) ? s : `(${s})`);

/** The conjunction of the given selectors (`all()` parts and empty parts are left out). */
export function and(...selectors: readonly string[]): string {
  const parts = selectors.map((s) => s.trim()).filter((s) => s !== '' && s !== 'all()');
  if (parts.length === 0) return 'all()';
  if (parts.length === 1) return parts[0];
  return parts.map(wrap).join(' && ');
}

/** The negation of a selector: `!has(x)`, else `!(...)` (clearer than `!a == "b"`, which means the same). */
export function not(selector: string): string {
  const s = selector.trim();
  const r = parseSelector(s);
  return r.ok && r.ast.kind === 'has' ? `!${s}` : `!(${s})`;
}

/** The label keys a selector reads (sorted by code point); empty for an invalid selector. */
export function selectorLabelKeys(selector: string | undefined): string[] {
  if (selector === undefined) return [];
  const r = parseSelector(selector);
  if (!r.ok) return [];
  const keys = new Set<string>();
  const walk = (n: SelectorNode): void => {
    switch (n.kind) {
      case 'all': case 'global': return;
      case 'not': walk(n.operand); return;
      case 'and': case 'or': n.operands.forEach(walk); return;
      default: keys.add(n.label);
    }
  };
  walk(r.ast);
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
