import { Document, isScalar, visit } from 'yaml';

/** Strings that some YAML 1.1 parsers read as numbers (base-60 integers): BGP communities, times. */
const COLON_NUMBERS = /^[-+]?[0-9][0-9_]*(:[0-9]+)+$/;

/**
 * Serializes documents as multi-document YAML the way cdk8s does (YAML 1.1-safe quoting, no line
 * wrapping), and in addition double-quotes every `digits:digits` string, so BGP communities such as
 * `64512:10` can never be read as base-60 integers by any parser.
 */
export function toYaml(docs: readonly unknown[]): string {
  return docs.map((d) => {
    const doc = new Document(d, { version: '1.1', keepUndefined: true });
    visit(doc, {
      Scalar(_key, node) {
        if (isScalar(node) && typeof node.value === 'string' && COLON_NUMBERS.test(node.value)) node.type = 'QUOTE_DOUBLE';
      },
    });
    return doc.toString({ lineWidth: 0 });
  }).join('---\n');
}
