import { isRecord } from './values';
import { ManifestObject, Severity, SourcedObject, Violation } from './violation';

/**
 * Reading plain manifest objects defensively (they may have failed the schema: wrong types are
 * skipped, never thrown on), the Calico API groups, and the one violation collector.
 */

/** API groups of Calico and Tigera objects (the validator's business; other kinds are passed over). */
export const CALICO_API_GROUPS: ReadonlySet<string> = new Set(['projectcalico.org', 'crd.projectcalico.org', 'operator.tigera.io']);

/** Whether `apiVersion` belongs to a Calico or Tigera API group. */
export function isCalicoApiVersion(apiVersion: unknown): boolean {
  return CALICO_API_GROUPS.has(apiGroup(apiVersion));
}

/** Where an object was read from (CLI input). */
export interface ObjectSource {
  readonly file?: string;
  readonly document?: number;
}

/** Collects the violations of one object, filling in apiVersion/kind/name. */
export class Findings {
  private readonly found: Violation[] = [];
  private readonly apiVersion: string;
  private readonly kind: string;
  private readonly name: string;

  constructor(obj: unknown, private readonly source: ObjectSource = {}) {
    const o = isRecord(obj) ? obj : {};
    this.apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
    this.kind = typeof o.kind === 'string' ? o.kind : '';
    this.name = objectName(o as ManifestObject);
  }

  public add(severity: Severity, path: string, message: string): void {
    const { file, document } = this.source;
    this.found.push({
      apiVersion: this.apiVersion, kind: this.kind, name: this.name, path, message, severity,
      ...(file !== undefined ? { file } : {}),
      ...(document !== undefined ? { document } : {}),
    });
  }

  public error(path: string, message: string): void {
    this.add('error', path, message);
  }

  public warning(path: string, message: string): void {
    this.add('warning', path, message);
  }

  /** The violations collected so far, in the order found. */
  public get violations(): Violation[] {
    return this.found;
  }
}



/** `v` if it is a non-empty string, else undefined. */
export function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `v` if it is an array, else an empty array. */
export function asArray(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}


/** metadata.name of an object, or '' when missing or not a string. */
export function objectName(obj: ManifestObject): string {
  const md: unknown = (obj as { metadata?: unknown }).metadata;
  return isRecord(md) && typeof md.name === 'string' ? md.name : '';
}

/** metadata.namespace of an object, or '' when missing. */
export function objectNamespace(obj: ManifestObject): string {
  const md: unknown = (obj as { metadata?: unknown }).metadata;
  return isRecord(md) && typeof md.namespace === 'string' ? md.namespace : '';
}

/** The API group of an apiVersion (`projectcalico.org/v3` -> `projectcalico.org`; `v1` -> ''). */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether the object is a projectcalico.org (or crd.projectcalico.org) object of `kind`. */
export function isCalicoKind(obj: ManifestObject, kind: string): boolean {
  const g = apiGroup(obj.apiVersion);
  return obj.kind === kind && (g === 'projectcalico.org' || g === 'crd.projectcalico.org');
}

/** Whether the object is an operator.tigera.io object of `kind`. */
export function isOperatorKind(obj: ManifestObject, kind: string): boolean {
  return obj.kind === kind && apiGroup(obj.apiVersion) === 'operator.tigera.io';
}


/** The spec of an object when it is an object, else undefined. */
export function specOf(obj: ManifestObject): Record<string, unknown> | undefined {
  const spec: unknown = (obj as { spec?: unknown }).spec;
  return isRecord(spec) ? spec : undefined;
}

/**
 * Objects given to a library function, each with its source: plain objects are wrapped, and the
 * items of `List`/`NodeList` objects (as `kubectl get -o yaml` prints them, Lists inside Lists
 * too) take the List's place, with its source.
 */
export function sourcedObjects(objects: readonly (ManifestObject | SourcedObject)[]): SourcedObject[] {
  const out: SourcedObject[] = [];
  const add = (s: SourcedObject, depth: number): void => {
    const items = (s.object as Record<string, unknown>).items;
    if (depth < 8 && typeof s.object.kind === 'string' && s.object.kind.endsWith('List') && Array.isArray(items)) {
      for (const it of items) if (isRecord(it) && typeof it.kind === 'string') add({ ...s, object: it as ManifestObject }, depth + 1);
    } else {
      out.push(s);
    }
  };
  for (const o of objects) {
    const r: unknown = o;
    if (!isRecord(r)) continue;
    add(isRecord(r.object) && typeof r.kind !== 'string' ? (r as unknown as SourcedObject) : { object: r as ManifestObject }, 0);
  }
  return out;
}
