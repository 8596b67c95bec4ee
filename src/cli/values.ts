import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, LineCounter, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { CalicoTorChartProps } from '../constructs/calico-tor-chart';
import { JsonSchema, PathStep, checkSchema } from './values-schema';

/**
 * Values files for `cdk8s-calico synth --values`: a YAML (or JSON) mapping holding exactly the
 * props of CalicoTorChart, field for field, checked against the JSON Schema generated from those
 * props at build time. Nothing here knows a prop by name: a prop added to CalicoTorChartProps
 * (or to the props it composes) is read with no change here.
 *
 * Problems carry the file, line and column (1-based) of the value, or of the key for an unknown
 * field; the chart's own errors, which name a prop path (`CalicoInstallation: mtu: ...`), are
 * placed at that path when the file has it.
 */

/** One problem with a values file. */
export interface ValuesProblem {
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** 1-based column, when known. */
  readonly column?: number;
  /** Where in the values: `podIpPools[0].cidr` (empty for the whole file). */
  readonly path: string;
  readonly message: string;
}

/** `site.yaml:12:5: podIpPools[0].cidr: message`. */
export function formatValuesProblem(p: ValuesProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** A values file read and checked. */
export interface LoadedValues {
  /** The chart's props, when the file has no problem. */
  readonly props?: CalicoTorChartProps;
  /** Every problem found (syntax, then schema). */
  readonly problems: readonly ValuesProblem[];
  /** The line and column of the value at `path`, or of its deepest ancestor in the file. */
  readonly locate: (path: readonly PathStep[]) => { readonly line: number; readonly column: number } | undefined;
}

/** Where the build writes the values schema (`lib/schema/values.schema.json`; this file is `lib/src/cli/values.js`). */
export const VALUES_SCHEMA_PATH = join(__dirname, '..', '..', 'schema', 'values.schema.json');

let cachedSchema: JsonSchema | undefined;

/** The values schema generated at build time. */
export function valuesSchema(): JsonSchema {
  if (cachedSchema === undefined) {
    try {
      cachedSchema = JSON.parse(readFileSync(VALUES_SCHEMA_PATH, 'utf8')) as JsonSchema;
    } catch (e) {
      throw new Error(`cdk8s-calico: cannot read the values schema ${VALUES_SCHEMA_PATH}: ${(e as Error).message}. Run "npm run build" to generate it.`);
    }
  }
  return cachedSchema;
}

/** A path as written in messages: `torPeers[0].asNumber`, `labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PathStep[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

/** Reads `path.key[0]` / `a["b.c"]` back into steps; undefined when the text is not a path. */
export function parsePath(text: string): PathStep[] | undefined {
  const steps: PathStep[] = [];
  const token = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let i = 0;
  while (i < text.length) {
    token.lastIndex = i;
    const m = token.exec(text);
    if (!m || m.index !== i) return undefined;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push(JSON.parse(`"${m[3]}"`));
    i = token.lastIndex;
  }
  return steps.length > 0 ? steps : undefined;
}

/**
 * Parses and checks a values file.
 * @param text the file's content
 * @param file the name used in problems (as the user gave it)
 */
export function loadValues(text: string, file: string, schema: JsonSchema = valuesSchema()): LoadedValues {
  const lineCounter = new LineCounter();
  const problems: ValuesProblem[] = [];
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  const list = Array.isArray(docs) ? docs : [];
  const noLocation = () => undefined;
  if (list.length === 0 || (list.length === 1 && list[0].contents === null)) {
    problems.push({ file, path: '', message: 'the file is empty: it must hold a mapping of CalicoTorChart props (cdk8s-calico init writes a starter file)' });
    return { problems, locate: noLocation };
  }
  for (const doc of list) {
    for (const e of doc.errors) problems.push({ file, ...at(e.pos?.[0]), path: '', message: `YAML syntax: ${firstLine(e.message)}` });
  }
  if (list.length > 1) {
    problems.push({ file, ...at(list[1].range?.[0]), path: '', message: `the file holds ${list.length} YAML documents: a values file is one mapping; remove the "---" separators` });
  }
  if (/\.json$/i.test(file) && problems.length === 0) {
    try {
      JSON.parse(text);
    } catch (e) {
      const pos = /position (\d+)/.exec((e as Error).message);
      const said = firstLine((e as Error).message).replace(/ in JSON at position \d+.*$/, '');
      problems.push({ file, ...at(pos ? Number(pos[1]) : undefined), path: '', message: `JSON syntax: ${said}` });
    }
  }
  const doc = list[0];
  const locateNode = (path: readonly PathStep[], key = false) => nodeOffset(doc, path, key);
  const locate = (path: readonly PathStep[]) => {
    for (let n = path.length; n >= 0; n--) {
      const offset = locateNode(path.slice(0, n));
      if (offset !== undefined) {
        const p = at(offset);
        return p.line !== undefined ? { line: p.line, column: p.column! } : undefined;
      }
    }
    return undefined;
  };
  if (problems.length > 0) return { problems, locate };

  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  for (const p of checkSchema(value, schema)) {
    const offset = locateNode(p.path, p.atKey) ?? locateNode(p.path.slice(0, -1));
    problems.push({ file, ...at(offset), path: formatPath(p.path), message: p.message });
  }
  if (problems.length > 0) return { problems, locate };
  const { $schema: _ignored, ...props } = value as Record<string, unknown>;
  return { props: props as CalicoTorChartProps, problems, locate };
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

/** The start offset of the node at `path` (of its key when `key`), if the document has it. */
function nodeOffset(doc: Document, path: readonly PathStep[], key: boolean): number | undefined {
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const step of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(step));
      if (!pair) return undefined;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
    } else {
      return undefined;
    }
  }
  const target = (key && keyNode ? keyNode : node) as { range?: [number, number, number] } | null | undefined;
  return target?.range?.[0];
}

/**
 * Places a chart error (`CalicoInstallation: ipPools[0].cidr: message`, `CalicoTorChart:
 * installationSpec.calicoNetwork.bgp: ...`) in the values file: at the prop path when the file
 * has it, else at the file.
 */
export function placeChartError(message: string, file: string, values: LoadedValues): ValuesProblem {
  const m = /^([A-Za-z]+(?: "[^"]*")?): ([^\s:]+): ([\s\S]*)$/.exec(message);
  const steps = m ? parsePath(m[2]) : undefined;
  if (m && steps && values.props !== undefined && hasPath(values.props, steps)) {
    const pos = values.locate(steps);
    return { file, line: pos?.line, column: pos?.column, path: formatPath(steps), message: `${m[3]} (${m[1]})` };
  }
  return { file, path: '', message };
}

function hasPath(value: unknown, steps: readonly PathStep[]): boolean {
  let cur = value;
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, s)) return false;
    cur = (cur as Record<string, unknown>)[s as string];
  }
  return true;
}
