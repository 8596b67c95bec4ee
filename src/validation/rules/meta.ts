import { describeValue, isRecord } from '../../model/values';
import { crdFieldSchema } from '../../releases/crd-store';
import { CALICO_VERSIONS, CalicoVersion, isCalicoVersion } from '../../releases/releases';
import { Cidr, parseCidr } from '../../model/net';
import { ValidateOptions } from '../options';
import { ManifestObject } from '../../model/violation';
import { labelKeyProblem } from '../../model/names';
import { Findings } from '../../model/manifest';

/**
 * Metadata and schema helpers shared by the rules of the policy and endpoint kinds:
 * annotations (validator/v3 `validateObjectMetaAnnotations`), the name formats of
 * validator/v3, and a look-up of the release's CRD schema so that a rule the schema already
 * enforces (an enum, a range) is not reported twice.
 */


/** validator/v3 `totalAnnotationSizeLimitB`. */
const ANNOTATION_LIMIT = 256 * 1024;

/** Whether `key` is a Kubernetes qualified name (`[dns-subdomain/]name`, name 1-63 characters: apimachinery IsQualifiedName). */
export function isQualifiedName(key: string): boolean {
  return labelKeyProblem(key) === undefined;
}

/**
 * validator/v3 `validateObjectMetaAnnotations`: each key (lower-cased) a qualified name, and keys
 * plus values at most 256 KiB in total. Used for metadata.annotations and rule metadata.
 */
export function checkAnnotations(annotations: unknown, path: string, f: Findings): void {
  if (!isRecord(annotations)) return;
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    if (!isQualifiedName(key.toLowerCase())) {
      f.error(`${path}[${JSON.stringify(key)}]`, `annotation key ${describeValue(key)} is not valid: use [prefix/]name, where the name is 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, and the optional prefix a DNS subdomain (e.g. "example.com/owner")`);
    }
    total += key.length + (typeof value === 'string' ? value.length : 0);
  }
  if (total > ANNOTATION_LIMIT) {
    f.error(path, `the annotations hold ${total} bytes, ${total - ANNOTATION_LIMIT} more than Calico's limit of 262144 (256 KiB) for keys and values together: move large data elsewhere`);
  }
}

/** metadata.annotations of an object (validateObjectMeta). */
export function checkObjectAnnotations(obj: ManifestObject, f: Findings): void {
  const md: unknown = (obj as { metadata?: unknown }).metadata;
  if (isRecord(md)) checkAnnotations(md.annotations, 'metadata.annotations', f);
}

/** The release tag of the options, when supported. */
export function releaseTag(version: unknown): CalicoVersion | undefined {
  return isCalicoVersion(version) ? version : undefined;
}

/**
 * The schema of a field in the release's crd.projectcalico.org CRD (arrays stepped through), or
 * undefined when the release, the CRD or the field is missing.
 */
export function crdField(tag: CalicoVersion | undefined, crd: string | undefined, path: readonly string[]): Record<string, any> | undefined {
  if (tag === undefined || crd === undefined) return undefined;
  try {
    return crdFieldSchema(tag, crd, path);
  } catch {
    return undefined; // no such CRD in this release
  }
}

/** Whether the release's schema constrains the field with `keyword` (enum, maximum, format...). */
export function schemaHas(tag: CalicoVersion | undefined, crd: string | undefined, path: readonly string[], keyword: string): boolean {
  const s = crdField(tag, crd, path);
  if (s === undefined) return false;
  if (s[keyword] !== undefined) return true;
  const all: unknown = s.allOf;
  return Array.isArray(all) && all.some((x) => isRecord(x) && x[keyword] !== undefined);
}

/**
 * A `net` / `netv4` / `netv6` field (validator/v3 validateIPNetwork, ValidateIPv4Network): a
 * strictly masked CIDR, or a bare address that Calico reads as a host route (/32, /128) — unless the
 * release's CRD declares `format: cidr` (v3.32), whose API server refuses the bare address (the
 * schema check reports it; the error here has the same text, so it is reported once).
 * @returns the network, when it parses either way.
 */
export function checkNetField(value: string, path: string, crd: string, schemaPath: readonly string[], options: ValidateOptions, f: Findings): Cidr | undefined {
  const strict = parseCidr(value);
  if (strict.ok) return strict.value;
  const loose = parseCidr(value, { allowBareIp: true });
  const tag = releaseTag(options.calicoVersion);
  if (!loose.ok || schemaHas(tag, crd, schemaPath, 'format')) {
    f.error(path, strict.error);
    return undefined;
  }
  const later = CALICO_VERSIONS.filter((t) => schemaHas(t, crd, schemaPath, 'format'));
  f.warning(path, `${describeValue(value)} has no prefix length: Calico ${tag ?? ''} reads it as the host route ${JSON.stringify(loose.value.text)}${later.length > 0 ? `, but ${later.join(', ')} refuse${later.length === 1 ? 's' : ''} it` : ''}; write ${JSON.stringify(loose.value.text)}`);
  return loose.value;
}
