import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, Stats, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  constructFromEvents,
  CORE_SCHEMA,
  EVENT_ID,
  Event,
  getScalarValue,
  mergeTag,
  NOT_RESOLVED,
  parseEvents,
  SCALAR_STYLE,
  ScalarEvent,
  ScalarTagDefinition,
  Schema,
  TagDefinition,
  YAML11_SCHEMA,
} from 'js-yaml';
import { isCalicoApiVersion } from '../model/manifest';
import { escapeControlCharacters, isSecretFieldName, ManifestObject, shortenText, SourcedObject, Violation } from '../model/violation';

/**
 * Reads Kubernetes manifests (multi-document YAML) for the `cdk8s-calico validate` command:
 * finds the files, parses them, checks that every document is a Kubernetes object, and flags
 * plain scalars that a YAML 1.1 parser would read differently than YAML 1.2 does.
 *
 * Values are read with the YAML 1.2 core schema plus merge keys (`<<`), as Kubernetes tooling
 * does. Parsing goes through js-yaml's event API: one pass over the text yields the events (with
 * source offsets and scalar styles), from which the objects are built and the YAML 1.1 check is
 * done, without a second parse.
 */

/** The PATH that stands for standard input. */
export const STDIN_PATH = '-';
/** The file name reported for objects read from standard input. */
export const STDIN_NAME = '<stdin>';

/** A problem that makes an input unusable: unreadable file, YAML syntax error, a document that is not a Kubernetes object. */
export interface InputError {
  /** File (or `<stdin>`) the problem is in. */
  readonly file: string;
  /** One-based line of the problem, when known. */
  readonly line?: number;
  /** One-based column of the problem, when known. */
  readonly column?: number;
  /** Zero-based index of the YAML document, when the problem is in one document. */
  readonly document?: number;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** Source excerpt pointing at the problem (several lines), when available. */
  readonly snippet?: string;
}

/** What a YAML text holds. */
export interface ParsedManifests {
  /** Every Kubernetes object, in document order (items of `List` kinds expanded in place). */
  readonly objects: SourcedObject[];
  /** YAML 1.1 ambiguity warnings for Calico and Tigera objects. */
  readonly warnings: Violation[];
  /** Problems that make the text unusable (the objects are then incomplete). */
  readonly errors: InputError[];
}

/** The input files named by some PATH arguments. */
export interface ManifestFiles {
  /** Files to read, in argument order, directory contents sorted; `-` for standard input. No duplicates. */
  readonly files: string[];
  /** PATHs that do not exist, cannot be listed or are not regular files. */
  readonly errors: InputError[];
  /** Entries of directories that were passed over, and why (not a regular file, a link out of the tree). */
  readonly notes: string[];
}

/** Options of {@link findManifestFiles}. */
export interface FindOptions {
  /**
   * Follow symbolic links in directories that point out of the directory given.
   * @default false (such links are skipped with a note)
   */
  readonly followSymlinks?: boolean;
}

/** `file:line:col: message`, followed by the source excerpt when there is one. */
export function formatInputError(e: InputError): string {
  const file = escapeControlCharacters(e.file);
  const where = e.line !== undefined ? `${file}:${e.line}:${e.column ?? 1}` : file;
  const doc = e.document !== undefined && e.line === undefined ? `#${e.document}` : '';
  const head = `${where}${doc}: ${shortenText(escapeControlCharacters(e.message), 1000)}`;
  // The snippet is built by this module (escaped, secrets masked, lines cut); keep its line breaks.
  return e.snippet ? `${head}\n${e.snippet.split('\n').map(escapeControlCharacters).join('\n')}` : head;
}

/** Manifest file names inside directories: `*.yaml` and `*.yml`. */
const MANIFEST_FILE = /\.ya?ml$/;

/**
 * Expands PATH arguments: files are taken as they are, directories are searched recursively for
 * `*.yaml`/`*.yml` files (entries in code-point order at every level, so the order is the same on
 * every machine), `-` is standard input. A file named twice (directly or through a directory) is
 * read once, at its first position.
 *
 * Only regular files are read: a FIFO, device or socket named as PATH is an error (reading one
 * could block or never end, e.g. `/dev/zero`), and one inside a directory is skipped with a note.
 * Symbolic links inside a directory are followed only while they stay inside that directory's
 * tree, unless `followSymlinks`; a link out of it is skipped with a note.
 */
export function findManifestFiles(paths: readonly string[], options: FindOptions = {}): ManifestFiles {
  const files: string[] = [];
  const errors: InputError[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const add = (file: string, real: string) => {
    if (seen.has(real)) return;
    seen.add(real);
    files.push(file);
  };
  const inside = (real: string, root: string) => real === root || real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
  const walk = (dir: string, root: string, visiting: Set<string>) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({ file: dir, message: `cannot list directory: ${describeFsError(e)}` });
      return;
    }
    const names = entries.map((d) => d.name).sort(compareCodePoints);
    const byName = new Map(entries.map((d) => [d.name, d]));
    for (const name of names) {
      const entry = byName.get(name)!;
      const path = join(dir, name);
      const manifestName = MANIFEST_FILE.test(name);
      let st: Stats;
      let real: string;
      try {
        real = realpathSync(path);
        st = entry.isSymbolicLink() ? statSync(path) : lstatSync(path);
      } catch {
        if (manifestName) notes.push(`skipped ${path}: a symbolic link to nothing`);
        continue;
      }
      if (entry.isSymbolicLink() && !options.followSymlinks && !inside(real, root)) {
        if (st.isDirectory() || manifestName) notes.push(`skipped ${path}: a symbolic link out of ${root} (to ${real}); pass --follow-symlinks to read it`);
        continue;
      }
      if (st.isDirectory()) {
        if (visiting.has(real)) continue; // link cycle
        walk(path, root, new Set(visiting).add(real));
      } else if (manifestName) {
        if (st.isFile()) add(path, real);
        else notes.push(`skipped ${path}: not a regular file (${fileKind(st)})`);
      }
    }
  };
  for (const p of paths) {
    if (p === STDIN_PATH) {
      add(STDIN_PATH, STDIN_PATH);
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      errors.push({ file: p, message: `cannot read: ${describeFsError(e)}` });
      continue;
    }
    if (st.isDirectory()) {
      const root = realpathSync(p);
      walk(p, root, new Set([root]));
    } else if (st.isFile()) add(p, realpathSync(p));
    else errors.push({ file: p, message: `cannot read: not a regular file (${fileKind(st)}); give files, directories, or - for standard input` });
  }
  return { files, errors, notes };
}

function fileKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * Largest input (file or standard input) read, in bytes. Larger inputs are refused rather than
 * read without bound (`/dev/zero` through a pipe, a runaway generator).
 */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/** Reads one file as UTF-8 (a regular file of at most {@link MAX_INPUT_BYTES}); an unreadable file is an {@link InputError}. */
export function readManifestFile(file: string): { text?: string; error?: InputError } {
  const parts: string[] = [];
  const error = readFileChunks(file, (chunk) => parts.push(chunk));
  return error ? { error } : { text: parts.join('') };
}

/**
 * Reads a regular file in chunks of UTF-8 text, never more than {@link MAX_INPUT_BYTES}. Checks the
 * opened file (not only the name), so a name swapped for a FIFO is refused too.
 */
export function readFileChunks(file: string, onText: (text: string) => void): InputError | undefined {
  let fd: number;
  try {
    // Refuse a FIFO before open(2), which would block until a writer appears.
    const st = statSync(file);
    if (!st.isFile()) return { file, message: `cannot read: not a regular file (${fileKind(st)})` };
    fd = openSync(file, 'r');
  } catch (e) {
    return { file, message: `cannot read: ${describeFsError(e)}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { file, message: `cannot read: not a regular file (${fileKind(st)})` };
    if (st.size > MAX_INPUT_BYTES) return tooLarge(file);
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
    const decoder = new StringDecoder('utf8');
    let total = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_INPUT_BYTES) return tooLarge(file);
      onText(decoder.write(buf.subarray(0, n)));
    }
    onText(decoder.end());
    return undefined;
  } catch (e) {
    return { file, message: `cannot read: ${describeFsError(e)}` };
  } finally {
    closeSync(fd);
  }
}

export function tooLarge(file: string): InputError {
  return { file, message: `input is larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB: split it into several files` };
}

/** Text size of one parse batch: the input is parsed in runs of whole documents of about this many characters. */
const BATCH_CHARS = 1 << 20;

/**
 * Parses a manifest input as it is read, document by document: the text is cut into batches of
 * whole documents at `---` lines (a `---` at the start of a line always ends the document before
 * it, YAML 1.2 c-forbidden) and each batch is parsed as soon as it is complete, so memory holds
 * one batch, not the whole input. Document numbers, lines and the alias budget run across batches;
 * the results are what {@link parseManifests} gives for the whole text.
 */
export class ManifestStream {
  private buffer = '';
  /** Offset in `buffer` before which no cut point is left to find. */
  private scanned = 0;
  private documents = 0;
  private lines = 0;
  private readonly budget: AliasBudget = { extra: 0 };

  /**
   * @param file the name to report (a path, or `<stdin>`)
   * @param onParsed called with the objects, warnings and errors of each batch, in input order
   */
  constructor(private readonly file: string, private readonly onParsed: (parsed: ParsedManifests) => void) {}

  /** Takes the next piece of text (any length, cut anywhere). */
  public push(text: string): void {
    if (text === '') return;
    this.buffer += text;
    while (this.buffer.length >= BATCH_CHARS) {
      const cut = this.findCut();
      if (cut <= 0) break;
      this.emit(this.buffer.slice(0, cut));
      this.buffer = this.buffer.slice(cut);
      this.scanned = 0;
    }
  }

  /** Ends the input: parses what is left. */
  public end(): void {
    if (this.buffer !== '' || this.documents === 0) this.emit(this.buffer);
    this.buffer = '';
  }

  /** The start of the last `---` line that can begin a batch (not after a directive), or -1. */
  private findCut(): number {
    const buf = this.buffer;
    const floor = Math.max(0, this.scanned - 5);
    for (let i = buf.lastIndexOf('\n---'); i >= floor; i = i === 0 ? -1 : buf.lastIndexOf('\n---', i - 1)) {
      const after = buf.charCodeAt(i + 4);
      if (Number.isNaN(after)) continue; // the line may go on in the next piece
      if (after !== 0x20 && after !== 0x09 && after !== 0x0a && after !== 0x0d) continue;
      const lineStart = buf.lastIndexOf('\n', i - 1) + 1;
      if (buf.charCodeAt(lineStart) === 0x25 /* % */) continue; // a directive belongs to the document after it
      return i + 1;
    }
    this.scanned = buf.length;
    return -1;
  }

  private emit(text: string): void {
    const r = parseManifestsAt(text, this.file, { document: this.documents, line: this.lines, budget: this.budget });
    this.documents += r.documentCount;
    this.lines += countLines(text);
    this.onParsed(r);
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Most nodes aliases may add to one input (file or standard input), beyond the nodes written out:
 * aliases share the anchored value, so parsing stays cheap, but every walk over the objects sees
 * the expansion, and a small "billion laughs" file could otherwise stall validation. Counted over
 * the whole input, not per document: many documents each under a per-document limit add up. A
 * long scalar counts one node per 128 characters, so one anchored megabyte referenced hundreds of
 * times is refused too.
 */
export const MAX_ALIAS_EXPANSION = 1_000_000;

/** How many nodes aliases have added so far in one input. */
interface AliasBudget {
  extra: number;
}

/** Where a batch starts in its input. */
interface BatchStart {
  readonly document: number;
  /** Lines before the batch. */
  readonly line: number;
  readonly budget: AliasBudget;
}

/**
 * Parses a multi-document YAML text into Kubernetes objects.
 *
 * Every non-empty document must be a mapping with string `apiVersion` and `kind`; a `*List` kind
 * with an `items` array (as `kubectl get -o yaml` and `calicoctl get -o yaml` print) stands for
 * its items, also when an item is itself a List. Documents are numbered from 0 in file order,
 * empty ones included.
 *
 * @param text the YAML text
 * @param file the name to report for it (a path, or `<stdin>`)
 */
export function parseManifests(text: string, file: string): ParsedManifests {
  const { objects, warnings, errors } = parseManifestsAt(text, file, { document: 0, line: 0, budget: { extra: 0 } });
  return { objects, warnings, errors };
}

/** Deepest nesting of Lists in Lists that is expanded. */
const MAX_LIST_NESTING = 16;

/** One document's object, and for a List the entries of its items. */
interface DocumentEntry {
  readonly object?: ManifestObject;
  readonly items?: ReadonlyArray<DocumentEntry | undefined>;
}

function parseManifestsAt(text: string, file: string, start: BatchStart): ParsedManifests & { documentCount: number } {
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, { filename: file });
    documents = constructFromEvents(events, { source: text, filename: file, schema: schemas().v12 });
  } catch (e) {
    return { objects: [], warnings: [], errors: [yamlError(e, file, text, start)], documentCount: countDocumentMarkers(text) };
  }

  const scan = scanEvents(events, text);
  const lines = new LineIndex(text);
  const objects: SourcedObject[] = [];
  const errors: InputError[] = [];
  const byDocument: DocumentEntry[] = [];

  for (let i = 0; i < documents.length; i++) {
    const d = start.document + i;
    const info = scan.documents[i];
    const at = (message: string): InputError => {
      const pos = lines.position(info.start);
      return { file, document: d, message, line: pos.line + start.line, column: pos.column };
    };
    const extra = info.expandedNodes - info.literalNodes;
    if (extra > 0) {
      start.budget.extra += extra;
      if (start.budget.extra > MAX_ALIAS_EXPANSION) {
        errors.push(at(`document ${d}: aliases (*anchor) expand this input by more than ${MAX_ALIAS_EXPANSION} nodes beyond what is written; write the values out or use fewer aliases`));
        byDocument.push({});
        continue;
      }
    }
    let value = documents[i];
    if (info.yaml11) {
      // The document asks for YAML 1.1 (`%YAML 1.1`): read it as such.
      try {
        value = constructFromEvents(events.slice(info.firstEvent, info.lastEvent + 1), { source: text, filename: file, schema: schemas().v11 })[0];
      } catch (e) {
        errors.push({ ...yamlError(e, file, text, start), document: d });
        byDocument.push({});
        continue;
      }
    }
    if (value === null || value === undefined) {
      byDocument.push({});
      continue;
    }
    const problem = objectProblem(value);
    if (problem) {
      errors.push(at(`document ${d} ${problem}`));
      byDocument.push({});
      continue;
    }
    const expand = (object: ManifestObject, label: string, depth: number): DocumentEntry => {
      const items = object.items;
      if (!object.kind.endsWith('List') || !Array.isArray(items)) {
        objects.push({ object, file, document: d });
        return { object };
      }
      if (depth >= MAX_LIST_NESTING) {
        errors.push(at(`document ${d} ${label} nests Lists more than ${MAX_LIST_NESTING} deep; put the objects in one List`));
        return {};
      }
      const listed = items.map((item, j): DocumentEntry | undefined => {
        const itemLabel = `${label}(${escapeControlCharacters(shortenText(object.kind, 60))}) items[${j}]`;
        const itemProblem = objectProblem(item);
        if (itemProblem) {
          errors.push(at(`document ${d} ${itemLabel} ${itemProblem}`));
          return undefined;
        }
        return expand(item as ManifestObject, `${itemLabel} `, depth + 1);
      });
      return { object, items: listed };
    };
    byDocument.push(expand(value as ManifestObject, '', 0));
  }

  const warnings: Violation[] = [];
  for (const a of scan.ambiguous) {
    let entry: DocumentEntry | undefined = byDocument[a.document];
    let path = a.path;
    while (entry?.items && path[0] === 'items' && typeof path[1] === 'number') {
      entry = entry.items[path[1]];
      path = path.slice(2);
    }
    const object = entry?.object;
    if (!object || entry?.items || !isCalicoApiVersion(object.apiVersion)) continue;
    warnings.push({
      file,
      document: start.document + a.document,
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: typeof object.metadata?.name === 'string' ? object.metadata.name : '',
      path: formatPath(path),
      message: isSecretFieldName(String(path[path.length - 1] ?? '')) ? secretAmbiguityMessage(a) : ambiguityMessage(a),
      severity: 'warning',
    });
  }
  return { objects, warnings, errors, documentCount: documents.length };
}

/** Documents in a text that did not parse (for numbering the ones after it): its `---` lines, or 1. */
function countDocumentMarkers(text: string): number {
  const markers = text.match(/^---(?=[ \t\r\n]|$)/gm)?.length ?? 0;
  const before = markers === 0 ? text : text.slice(0, text.search(/^---(?=[ \t\r\n]|$)/m));
  return markers + (/^[ \t]*[^\s#%]/m.test(before) ? 1 : 0);
}

/** Why a document value is not a Kubernetes object, or undefined when it is one. */
function objectProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
    return `is not a Kubernetes object: expected a mapping with apiVersion and kind, found ${typeName(value)}`;
  }
  const o = value as Record<string, unknown>;
  for (const field of ['apiVersion', 'kind']) {
    if (!Object.prototype.hasOwnProperty.call(o, field)) return `has no ${field}: every Kubernetes object needs apiVersion and kind`;
    if (typeof o[field] !== 'string' || o[field] === '') return `has an invalid ${field} (${typeName(o[field])}): it must be a non-empty string`;
  }
  return undefined;
}

/** Most characters of a stray scalar document that an error shows. */
const MAX_EXCERPT = 8;

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a sequence';
  if (value instanceof Date) return 'a timestamp';
  if (typeof value === 'object') return 'a mapping';
  // Only a short excerpt: a stray document may be a token or a password pasted by mistake.
  if (typeof value === 'string') {
    return value.length > MAX_EXCERPT
      ? `a string of ${value.length} characters starting ${escapeControlCharacters(JSON.stringify(value.slice(0, MAX_EXCERPT)))}…`
      : `the string ${escapeControlCharacters(JSON.stringify(value))}`;
  }
  return `the ${typeof value} ${String(value)}`;
}


/** A plain scalar that YAML 1.1 reads differently than YAML 1.2. */
interface Ambiguity {
  readonly document: number;
  /** Path of the value (or, for a key, of the entry) from the document root. */
  readonly path: ReadonlyArray<string | number>;
  readonly source: string;
  readonly isKey: boolean;
  readonly yaml12: unknown;
  readonly yaml11: unknown;
}

interface DocumentScan {
  /** Offset where the document's content starts (its first node), or 0. */
  start: number;
  firstEvent: number;
  lastEvent: number;
  /** Whether the document carries a `%YAML 1.1` directive. */
  yaml11: boolean;
  /** Node count with every alias expanded (a scalar counts one per 128 characters). */
  expandedNodes: number;
  /** Node count as written (counted the same way, each alias one node). */
  literalNodes: number;
}

const MAP = 1;
const SEQ = 2;
const ROOT = 0;
/** Key marker of a mapping entry whose key is a collection: such a key has no name a path could use. */
const COMPLEX_KEY = -1;

interface Frame {
  readonly kind: typeof MAP | typeof SEQ | typeof ROOT;
  /** Children seen so far (for a mapping: keys and values). */
  children: number;
  /** Event index of the key of the mapping entry being read (or COMPLEX_KEY). */
  key: number;
  /** Nodes in this subtree, aliases expanded. */
  size: number;
  readonly anchor: string | undefined;
}

/**
 * A path segment while scanning: a sequence index (>= 0), or a mapping key as `-2 - eventIndex`
 * (or COMPLEX_KEY). Key names are only worked out for the few paths that get reported.
 */
type Segment = number;

/** First characters of the plain scalars that {@link MAYBE_AMBIGUOUS} may accept (by char code). */
const CANDIDATE_FIRST = new Uint8Array(128);
for (const c of '-+.0123456789yYnNoO') CANDIDATE_FIRST[c.charCodeAt(0)] = 1;

/**
 * One pass over the events: where each document starts and ends, how big its alias expansion is,
 * and which plain scalars YAML 1.1 reads differently (with their paths).
 */
function scanEvents(events: readonly Event[], text: string): { documents: DocumentScan[]; ambiguous: Ambiguity[] } {
  const documents: DocumentScan[] = [];
  const ambiguous: Ambiguity[] = [];
  const stack: Frame[] = [];
  /** Path of the innermost open collection (one segment per collection below the root). */
  const path: Segment[] = [];
  let anchors = new Map<string, number>();
  let doc: DocumentScan | undefined;

  // Segment that the next child of `frame` occupies (undefined for a mapping key or the root).
  const childSegment = (frame: Frame): Segment | undefined =>
    frame.kind === SEQ ? frame.children : frame.kind === MAP && (frame.children & 1) === 1 ? keySegment(frame.key) : undefined;
  const keySegment = (key: number): Segment => (key === COMPLEX_KEY ? COMPLEX_KEY : -2 - key);
  const segmentName = (seg: Segment): string | number => {
    if (seg >= 0) return seg;
    if (seg === COMPLEX_KEY) return '?';
    const e = events[-2 - seg];
    if (e.type === EVENT_ID.ALIAS) return `*${text.slice(e.anchorStart, e.anchorEnd)}`;
    if (e.type !== EVENT_ID.SCALAR) return '?';
    const source = scalarText(text, e);
    // A plain key reads as YAML 1.2 would (`0777:` is the key "777").
    return e.style === SCALAR_STYLE.PLAIN && e.tagStart < 0 ? String(resolvePlain(schemas().v12Tags, source)) : source;
  };
  const finishChild = (frame: Frame, size: number, anchor: string | undefined) => {
    frame.children++;
    frame.size += size;
    if (anchor !== undefined) anchors.set(anchor, size);
  };
  const anchorOf = (start: number, end: number) => (start >= 0 ? text.slice(start, end) : undefined);

  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        doc = { start: -1, firstEvent: i, lastEvent: i, yaml11: e.directives.some((x) => x.kind === 'yaml' && x.version === '1.1'), expandedNodes: 0, literalNodes: 0 };
        documents.push(doc);
        anchors = new Map();
        stack.length = 0;
        path.length = 0;
        stack.push({ kind: ROOT, children: 0, key: COMPLEX_KEY, size: 0, anchor: undefined });
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const parent = stack[stack.length - 1];
        if (doc!.start < 0) doc!.start = e.start;
        if (parent.kind === MAP && (parent.children & 1) === 0) parent.key = COMPLEX_KEY;
        if (parent.kind !== ROOT) path.push(childSegment(parent) ?? COMPLEX_KEY);
        doc!.literalNodes++;
        stack.push({ kind: e.type === EVENT_ID.MAPPING ? MAP : SEQ, children: 0, key: COMPLEX_KEY, size: 1, anchor: anchorOf(e.anchorStart, e.anchorEnd) });
        break;
      }
      case EVENT_ID.SCALAR: {
        const parent = stack[stack.length - 1];
        if (doc!.start < 0) doc!.start = Math.max(e.valueStart, 0);
        const isKey = parent.kind === MAP && (parent.children & 1) === 0;
        if (isKey) parent.key = i;
        if (e.style === SCALAR_STYLE.PLAIN && e.tagStart < 0 && e.valueStart >= 0 && !doc!.yaml11 &&
            CANDIDATE_FIRST[text.charCodeAt(e.valueStart)] === 1) {
          const source = scalarText(text, e);
          if (MAYBE_AMBIGUOUS.test(source) && !SAME_IN_BOTH.test(source)) {
            const yaml12 = resolvePlain(schemas().v12Tags, source);
            const yaml11 = resolvePlain(schemas().v11Tags, source);
            if (!sameValue(yaml12, yaml11)) {
              const last = isKey ? keySegment(i) : childSegment(parent);
              const segments = last === undefined ? path : [...path, last];
              ambiguous.push({ document: documents.length - 1, path: segments.map(segmentName), source, isKey, yaml12, yaml11 });
            }
          }
        }
        const weight = e.valueStart >= 0 ? 1 + ((e.valueEnd - e.valueStart) >> 7) : 1;
        doc!.literalNodes += weight;
        finishChild(parent, weight, anchorOf(e.anchorStart, e.anchorEnd));
        break;
      }
      case EVENT_ID.ALIAS: {
        const parent = stack[stack.length - 1];
        if (parent.kind === MAP && (parent.children & 1) === 0) parent.key = i;
        doc!.literalNodes++;
        finishChild(parent, anchors.get(text.slice(e.anchorStart, e.anchorEnd)) ?? 1, undefined);
        break;
      }
      case EVENT_ID.POP: {
        const done = stack.pop()!;
        if (done.kind === ROOT) {
          doc!.lastEvent = i;
          doc!.expandedNodes = done.size;
          if (doc!.start < 0) doc!.start = 0;
        } else {
          const parent = stack[stack.length - 1];
          if (parent.kind !== ROOT) path.pop();
          finishChild(parent, done.size, done.anchor);
        }
        break;
      }
    }
  }
  return { documents, ambiguous };
}

function scalarText(text: string, e: ScalarEvent): string {
  if (e.valueStart < 0) return '';
  return e.fast ? text.slice(e.valueStart, e.valueEnd) : getScalarValue(text, e);
}

/**
 * Plain scalars whose YAML 1.1 reading may differ from the YAML 1.2 one: numbers and the like
 * (base-60 `64512:10`, octal `0777`, `1_000`, `0b1`, `0o7`, timestamps) and the 1.1 booleans
 * `y/n/yes/no/on/off` in any case. A cheap superset; the two readings are then compared.
 */
const MAYBE_AMBIGUOUS = /^(?:[-+.0-9]|[yYnNoO][a-zA-Z]{0,2}$)/;
/** Decimal numbers without leading zeros read the same in both versions: no need to resolve them twice. */
const SAME_IN_BOTH = /^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

interface Schemas {
  /** Objects are built with the YAML 1.2 core schema and merge keys. */
  readonly v12: Schema;
  readonly v11: Schema;
  readonly v12Tags: readonly ScalarTagDefinition[];
  readonly v11Tags: readonly ScalarTagDefinition[];
}

let cachedSchemas: Schemas | undefined;
function schemas(): Schemas {
  if (!cachedSchemas) {
    const v12 = CORE_SCHEMA.withTags(mergeTag);
    const v11 = YAML11_SCHEMA;
    cachedSchemas = { v12, v11, v12Tags: implicitScalarTags(v12.tags), v11Tags: implicitScalarTags(v11.tags) };
  }
  return cachedSchemas;
}

/** Tags that resolve untagged plain scalars, in schema order (merge keys excluded: both versions merge). */
function implicitScalarTags(tags: readonly TagDefinition[]): ScalarTagDefinition[] {
  return tags.filter((t): t is ScalarTagDefinition => t.nodeKind === 'scalar' && t.implicit && t !== mergeTag && !t.tagName.endsWith(':merge'));
}

/** The value of a plain scalar under a schema's implicit tags (a string when none matches). */
function resolvePlain(tags: readonly ScalarTagDefinition[], source: string): unknown {
  const first = source.charAt(0);
  for (const tag of tags) {
    if (tag.implicitFirstChars && !tag.implicitFirstChars.includes(first)) continue;
    const value = tag.resolve(source, false, tag.tagName);
    if (value !== NOT_RESOLVED) return value;
  }
  return source;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
  if (v instanceof Date) return `the timestamp ${v.toISOString()}`;
  if (v === null) return 'null';
  return String(v);
}

/** The YAML 1.1 warning for a value at a secret field: what it reads as, never the value. */
function secretAmbiguityMessage(a: Ambiguity): string {
  const kind = (v: unknown) => (v instanceof Date ? 'a timestamp' : v === null ? 'null' : typeof v === 'string' ? 'a string' : `a ${typeof v}`);
  return `unquoted ${a.isKey ? 'key' : 'value'} (not shown: a secret field) reads as ${kind(a.yaml12)} in YAML 1.2 but as ${kind(a.yaml11)} to YAML 1.1 parsers (still used by some tools); quote it`;
}

function ambiguityMessage(a: Ambiguity): string {
  const what = a.isKey ? 'unquoted key' : 'unquoted value';
  const quoted = JSON.stringify(a.source);
  const fix = typeof a.yaml12 === 'string'
    ? `quote it: ${quoted}`
    : `write ${String(a.yaml12)}, or quote it (${quoted}) if a string is meant`;
  return `${what} ${a.source} is ${describeValue(a.yaml12)} in YAML 1.2 but ${describeValue(a.yaml11)} to YAML 1.1 parsers (still used by some tools); ${fix}`;
}

/** `spec.communities[0].value`; keys that are not plain identifiers are bracketed: `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function yamlError(e: unknown, file: string, text?: string, start?: BatchStart): InputError {
  const err = e as { name?: string; reason?: string; message?: string; mark?: { line: number; column: number; snippet?: string | null } };
  if (err && err.name === 'YAMLException' && err.mark) {
    const lineOffset = start?.line ?? 0;
    return {
      file,
      line: err.mark.line + 1 + lineOffset,
      column: err.mark.column + 1,
      message: `YAML syntax error: ${err.reason ?? err.message}`,
      snippet: text === undefined ? undefined : sourceSnippet(text, err.mark.line, err.mark.column, lineOffset),
    };
  }
  return { file, message: `cannot parse YAML: ${err && err.message ? err.message : String(e)}` };
}

/** A key whose value is a secret: its value is masked in source excerpts. */
const SECRET_KEY_LINE = /^(\s*(?:-\s+)?["']?[\w.-]*(?:password|passwd|secret|token|credential|private[-_]?key)[\w.-]*["']?\s*:\s*)(\S.*)$/i;
/** Longest source line shown in an excerpt. */
const MAX_SNIPPET_LINE = 100;

/**
 * Source lines around a problem, as js-yaml shows them (` 7 | text`, then a `---^` pointer),
 * with line numbers of the whole input, control characters escaped, long lines cut and the values
 * of secret-looking keys (`password:`, `token:`...) masked.
 */
function sourceSnippet(text: string, line: number, column: number, lineOffset: number): string {
  const first = Math.max(0, line - 3);
  const rows: Array<[number, string]> = [];
  let pos = 0;
  for (let n = 0; n <= line + 2 && pos <= text.length; n++) {
    const end = text.indexOf('\n', pos);
    const stop = end < 0 ? text.length : end;
    if (n >= first) rows.push([n, text.slice(pos, Math.min(stop, pos + 4 * MAX_SNIPPET_LINE))]);
    if (end < 0) break;
    pos = end + 1;
  }
  const width = String(line + 3 + lineOffset).length;
  const out: string[] = [];
  for (const [n, raw] of rows) {
    const masked = raw.replace(/\r$/, '').replace(SECRET_KEY_LINE, '$1<redacted>');
    let shown = escapeControlCharacters(masked);
    if (shown.length > MAX_SNIPPET_LINE) shown = `${shown.slice(0, MAX_SNIPPET_LINE)} ...`;
    out.push(`${String(n + 1 + lineOffset).padStart(width + 1)} | ${shown}`);
    if (n === line) out.push(`${'-'.repeat(width + 4 + Math.min(column, MAX_SNIPPET_LINE))}^`);
  }
  return out.join('\n');
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOTDIR': return 'not a directory';
    case 'EISDIR': return 'is a directory';
    default: return (e as Error).message ?? String(e);
  }
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Offsets to one-based line and column, built on first use (only error paths need it). */
class LineIndex {
  private starts?: number[];
  constructor(private readonly text: string) {}

  position(offset: number): { line: number; column: number } {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}
