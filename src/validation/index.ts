import { isCalicoApiVersion } from '../model/manifest';
import { CrossResourceCollector } from './cross-resource';
import { ValidateOptions } from './options';
import { validateCalicoRules } from './rules';
import { isCelRuleViolation, validateSchema } from './schema/schema';
import { redactSecrets, secretValues, SourcedObject, Violation } from '../model/violation';

export * from '../model/violation';
export * from './options';


/**
 * Validates a set of objects: each Calico/Tigera object against its release's CRD schema and
 * Calico's own rules, then the set as a whole. Other kinds are passed over.
 *
 * @param objects the objects, each with where it came from: `objects.map((object) => ({ object }))`
 * @returns every violation found, errors and warnings, in input order (never throws for a bad
 *   manifest; throws a TypeError when called with something other than `{ object }` records).
 */
export function validateManifests(objects: readonly SourcedObject[], options: ValidateOptions): Violation[] {
  const validator = new ManifestValidator(options);
  const out: Violation[] = [];
  for (const src of objects) {
    for (const v of validator.add(src)) out.push(v);
  }
  for (const v of validator.finish()) out.push(v);
  return out;
}

/**
 * {@link validateManifests} one object at a time, for inputs read as a stream: `add` returns the
 * object's own violations (schema and rules) at once and keeps only what the cross-resource rules
 * need; `finish` returns the cross-resource violations. The same violations as validateManifests.
 */
export class ManifestValidator {
  private readonly cross: CrossResourceCollector;

  constructor(private readonly options: ValidateOptions) {
    this.cross = new CrossResourceCollector(options);
  }

  /** Validates one object; its schema and rule violations. */
  public add(src: SourcedObject): Violation[] {
    if (src === null || typeof src !== 'object' || src.object === null || typeof src.object !== 'object') {
      throw new TypeError('validateManifests takes { object, file?, document? } records, e.g. objects.map((object) => ({ object }))');
    }
    if (!isCalicoApiVersion(src.object.apiVersion)) {
      this.cross.add(src);
      return [];
    }
    const problem = structureProblem(src.object);
    if (problem) {
      const obj = src.object;
      const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
      return [withSource({ apiVersion: String(obj.apiVersion), kind: typeof obj.kind === 'string' ? obj.kind : '', name, path: '', message: `${problem}: not validated; no Calico object is shaped like this`, severity: 'error' }, src)];
    }
    this.cross.add(src);
    const found = withoutOverlaps(validateSchema(src.object, this.options), validateCalicoRules(src.object, this.options));
    // A value at a password field is never echoed, whatever rule quoted it.
    const secrets = found.length > 0 ? secretValues(src.object) : [];
    return found.map((v) => withSource(secrets.length > 0 ? { ...v, message: redactSecrets(v.message, secrets) } : v, src));
  }

  /** The cross-resource violations of everything added. */
  public finish(): Violation[] {
    return this.cross.finish();
  }
}

/** Deepest nesting of an object that is validated (as deep as YAML input may nest, js-yaml's maxDepth). */
export const MAX_OBJECT_DEPTH = 100;
/** Most values (objects, arrays, scalars) in one object that is validated. */
export const MAX_OBJECT_VALUES = 1_000_000;

/**
 * Why an object is too deep or too large to walk (the schema and rule walkers recurse), or
 * undefined. Iterative, and bounded itself: a cyclic object (JavaScript callers) is "too deep".
 */
function structureProblem(root: unknown): string | undefined {
  const stack: Array<[unknown, number]> = [[root, 0]];
  let values = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (++values > MAX_OBJECT_VALUES) return `the object holds more than ${MAX_OBJECT_VALUES} values`;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_OBJECT_DEPTH) return `the object nests more than ${MAX_OBJECT_DEPTH} levels deep`;
    const children = Array.isArray(v) ? v : Object.values(v as object);
    for (const c of children) if (c !== null && typeof c === 'object') stack.push([c, depth + 1]);
    else values++;
  }
  return values > MAX_OBJECT_VALUES ? `the object holds more than ${MAX_OBJECT_VALUES} values` : undefined;
}

/**
 * One object's schema and rule violations, without saying a thing twice: an identical violation
 * (same path, message and severity) is kept once, and a failed CEL rule of the CRD is dropped when
 * Calico's own rules report a violation of the same severity at its path or below (they check the
 * same condition and name the field, the values and a fix).
 */
function withoutOverlaps(schema: Violation[], rules: Violation[]): Violation[] {
  const seen = new Set<string>();
  const out: Violation[] = [];
  const covered = (v: Violation) => isCelRuleViolation(v) && rules.some((r) => r.severity === v.severity
    && (v.path === '' || r.path === v.path || r.path.startsWith(`${v.path}.`) || r.path.startsWith(`${v.path}[`)));
  for (const v of [...schema, ...rules]) {
    const key = `${v.severity}\u0000${v.path}\u0000${v.message}`;
    if (seen.has(key) || covered(v)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

function withSource(v: Violation, src: SourcedObject): Violation {
  if (src.file === undefined && src.document === undefined) return v;
  return { ...v, file: src.file, document: src.document };
}
