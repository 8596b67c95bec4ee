import { dnsSubdomainProblem } from '../../validation/rules/common';

/** A Kubernetes label name: 1-63 alphanumerics, '-', '_', '.' (apimachinery IsQualifiedName). */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Why `key` is not a label key (`[dns-subdomain/]name`), or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  if (typeof key !== 'string') return `${JSON.stringify(key)} is not a label key`;
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (LABEL_NAME.test(name) && (prefix === undefined || dnsSubdomainProblem(prefix) === undefined)) return undefined;
  return `label key ${JSON.stringify(key)} is not valid: use [prefix/]name, where the name is 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, and the optional prefix a DNS subdomain (e.g. "topology.kubernetes.io/zone")`;
}

/** Why `value` is not a label value (apimachinery IsValidLabelValue), or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (typeof value !== 'string') return `${JSON.stringify(value)} is not a label value`;
  if (value === '' || LABEL_NAME.test(value)) return undefined;
  return `label value ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value)} is not valid: use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
}
