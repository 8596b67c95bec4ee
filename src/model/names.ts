import { describeValue } from './values';

/**
 * Kubernetes and Calico names: DNS-1123 subdomains and labels, label keys and values. One module,
 * used by the constructs' prop checks and by the validation rules, so both say the same thing.
 */

/** One DNS-1123 label, as a pattern fragment (for name formats built from labels). */
export const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
/** DNS-1123 subdomain: libcalico-go validator/v3 `nameSubdomainFmt`, k8s IsDNS1123Subdomain. */
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL_FMT}(\\.${LABEL_FMT})*$`);
/** Kubernetes DNS1123SubdomainMaxLength. */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

/**
 * Why `name` is not a DNS-1123 subdomain (lower case alphanumerics, '-' and '.', starting and
 * ending alphanumeric, at most 253 characters), or undefined when it is. Mirrors libcalico-go
 * `validateObjectMeta`/`validateName` and Kubernetes' rule for custom resource names.
 */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    return `${describeValue(name)} is ${name.length} characters long; at most ${DNS1123_SUBDOMAIN_MAX_LENGTH} are allowed`;
  }
  if (!DNS1123_SUBDOMAIN.test(name)) {
    const suggestion = suggestDnsSubdomain(name);
    return `${describeValue(name)} is not a valid name: use lower case letters, digits, '-' and '.', starting and ending with a letter or digit (DNS-1123 subdomain)${suggestion && suggestion !== name ? `, e.g. ${JSON.stringify(suggestion)}` : ''}`;
  }
  return undefined;
}

/** A DNS-1123 subdomain close to `name` (lower-cased, other characters turned into '-'), if any. */
export function suggestDnsSubdomain(name: string): string | undefined {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .split('.')
    .map((part) => part.replace(/^-+|-+$/g, ''))
    .filter((part) => part !== '')
    .join('.')
    .slice(0, DNS1123_SUBDOMAIN_MAX_LENGTH);
  return s !== '' && DNS1123_SUBDOMAIN.test(s) ? s : undefined;
}

/** Kubernetes DNS1123LabelMaxLength. */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/** A whole DNS-1123 label (validator/v3 `nameLabelFmt`). */
export const DNS1123_LABEL = new RegExp(`^${LABEL_FMT}$`);

/**
 * Why `name` is not a DNS-1123 label (at most 63 lower case alphanumerics and '-', starting and
 * ending alphanumeric: Namespace and Service names), or undefined when it is.
 */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL.test(name)) return undefined;
  const suggestion = suggestDnsSubdomain(name)?.replace(/\./g, '-').slice(0, DNS1123_LABEL_MAX_LENGTH).replace(/-+$/, '');
  return `${describeValue(name)} is not a valid name: use at most ${DNS1123_LABEL_MAX_LENGTH} lower case letters, digits and '-', starting and ending with a letter or digit (DNS-1123 label)${suggestion && suggestion !== name && DNS1123_LABEL.test(suggestion) ? `, e.g. ${JSON.stringify(suggestion)}` : ''}`;
}

/** A Kubernetes qualified name: `[prefix/]name`, name of 1-63 alphanumerics, '-', '_', '.' (apimachinery IsQualifiedName). */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Why `key` is not a label (or taint) key as the Kubernetes API server checks it (apimachinery
 * IsQualifiedName): `[prefix/]name`, the name 1-63 alphanumerics, '-', '_' or '.', starting and
 * ending alphanumeric, the optional prefix a DNS subdomain. Undefined when it is one.
 */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (LABEL_NAME.test(name) && (prefix === undefined || dnsSubdomainProblem(prefix) === undefined)) return undefined;
  return `label key ${describeValue(key)} is not valid: use [prefix/]name, where the name is 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, and the optional prefix a DNS subdomain (e.g. "topology.kubernetes.io/zone")`;
}

/** Why `value` is not a label (or taint) value (apimachinery IsValidLabelValue), or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '' || LABEL_NAME.test(value)) return undefined;
  return `label value ${describeValue(value)} is not valid: use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, or the empty string`;
}
