import { StringDecoder } from 'node:string_decoder';
import { escapeControlCharacters, formatViolation, SourcedObject, Violation } from '../model/violation';
import { CalicoVersion } from '../releases/releases';
import { resolveRelease } from '../releases/resolve-release';
import { CliIo, EXIT_BAD_INPUT, plural } from './io';
import {
  findManifestFiles, formatInputError, InputError, ManifestStream, MAX_INPUT_BYTES, ParsedManifests, readFileChunks, STDIN_NAME, STDIN_PATH, tooLarge,
} from './manifest-reader';

/** What reading the inputs found besides the objects. */
export interface ManifestInputs {
  /** Problems with the inputs themselves (unreadable, not YAML...): nothing should be computed then. */
  readonly errors: InputError[];
  /** Warnings of the reader (YAML 1.1 ambiguities...). */
  readonly warnings: Violation[];
  /** The inputs read, in reading order (`<stdin>` for standard input). */
  readonly fileNames: string[];
}

/**
 * Reads every manifest of `paths` (files, directories, `-` for standard input) document by
 * document, calling `onObject` for each object as it is parsed (until an input error is found), so
 * that a caller may keep only what it needs. The one reader of the commands (validate, plan, routers): same limits, notes and errors.
 */
export async function readManifestInputs(
  paths: readonly string[], io: CliIo, options: { readonly followSymlinks?: boolean }, onObject: (o: SourcedObject) => void,
): Promise<ManifestInputs> {
  const found = findManifestFiles(paths, { followSymlinks: options.followSymlinks === true });
  for (const note of found.notes) io.stderr(`cdk8s-calico: note: ${escapeControlCharacters(note)}\n`);
  const errors: InputError[] = [...found.errors];
  const warnings: Violation[] = [];
  const fileNames: string[] = [];
  const onParsed = (parsed: ParsedManifests) => {
    for (const e of parsed.errors) errors.push(e);
    for (const w of parsed.warnings) warnings.push(w);
    // After an input error only the parsing goes on (to report every input error).
    if (errors.length === 0) for (const o of parsed.objects) onObject(o);
  };
  for (const path of found.files) {
    const name = path === STDIN_PATH ? STDIN_NAME : path;
    fileNames.push(name);
    const stream = new ManifestStream(name, onParsed);
    const error = path === STDIN_PATH ? await readStdinInto(io, stream) : readFileChunks(path, (text) => stream.push(text));
    if (error) {
      errors.push(error);
      continue;
    }
    stream.end();
  }
  return { errors, warnings, fileNames };
}

/** Reads standard input into `stream`, at most {@link MAX_INPUT_BYTES}; an unreadable input is an InputError. */
async function readStdinInto(io: CliIo, stream: ManifestStream): Promise<InputError | undefined> {
  try {
    const input = io.readStdin();
    if (typeof (input as Promise<string>).then === 'function') {
      const text = await (input as Promise<string>);
      if (Buffer.byteLength(text) > MAX_INPUT_BYTES) return tooLarge(STDIN_NAME);
      stream.push(text);
      return undefined;
    }
    const decoder = new StringDecoder('utf8');
    let total = 0;
    for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (total > MAX_INPUT_BYTES) return tooLarge(STDIN_NAME);
      stream.push(decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    }
    stream.push(decoder.end());
    return undefined;
  } catch (e) {
    return { file: STDIN_NAME, message: `cannot read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * The release and every object of `paths`, for the commands that compute a plan (plan, routers):
 * a bad `--calico-version` or an input error is reported on stderr (all input errors, and the
 * reader's warnings) and gives the exit status instead.
 * @param nothing what did not happen on failure, e.g. `no plan was computed`
 */
export async function readObjectsForPlan(
  paths: readonly string[], calicoVersionFlag: string, io: CliIo, nothing: string,
): Promise<{ readonly calicoVersion: CalicoVersion; readonly objects: SourcedObject[] } | { readonly status: number }> {
  const resolved = resolveRelease(calicoVersionFlag);
  if (!resolved.ok) {
    io.stderr(`cdk8s-calico: --calico-version: ${resolved.error}\n`);
    return { status: EXIT_BAD_INPUT };
  }
  const objects: SourcedObject[] = [];
  const inputs = await readManifestInputs(paths, io, {}, (o) => objects.push(o));
  if (inputs.errors.length > 0) {
    io.stderr(inputs.errors.map((e) => `${formatInputError(e)}\n`).join(''));
    io.stderr(`cdk8s-calico: ${plural(inputs.errors.length, 'input error')}; ${nothing}.\n`);
    return { status: EXIT_BAD_INPUT };
  }
  if (inputs.warnings.length > 0) io.stderr(inputs.warnings.map((w) => `${formatViolation(w)}\n`).join(''));
  return { calicoVersion: resolved.value.version, objects };
}
