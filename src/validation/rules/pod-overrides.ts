import { describeValue, isRecord } from '../../model/values';
import { asArray, Findings } from '../../model/manifest';
import { dnsLabelProblem, dnsSubdomainProblem, labelKeyProblem, labelValueProblem } from '../../model/names';
import { oneOf } from './common';

/**
 * The Kubernetes validators that the Tigera operator runs on an Installation's component overrides
 * (pkg/common/validation/overrides.go `ValidateReplicatedPodResourceOverrides`, operator v1.40.15 and
 * v1.42.3): its copies of Kubernetes' pod validation in pkg/common/k8svalidation/validation.go
 * (`ValidateAffinity`, `ValidateTopologySpreadConstraints`, `ValidateDeploymentStrategy` with
 * `ValidateRollingUpdateDeployment`), pkg/common/k8svalidation/v1validation.go
 * (`ValidateResourceRequirements`) and helper/helper.go (resource names), plus apimachinery's
 * `ValidateLabelSelector`. Fields a release's CRD marks as required (a term's topologyKey, a
 * requirement's key and operator, a weight) are reported by the schema when they are missing; these
 * rules judge the values that are there.
 */

const NODE_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];

function keyProblem(what: string, key: string): string | undefined {
  return labelKeyProblem(key)?.replace(/^label key/, what);
}

/** apimachinery ValidateLabels: each key a qualified name, each value a label value. */
function checkLabelMap(labels: unknown, path: string, f: Findings): void {
  if (!isRecord(labels)) return;
  for (const [k, v] of Object.entries(labels)) {
    const p = labelKeyProblem(k) ?? (typeof v === 'string' ? labelValueProblem(v) : undefined);
    if (p) f.error(`${path}[${JSON.stringify(k)}]`, p);
  }
}

function valuesOf(req: Record<string, unknown>): readonly unknown[] {
  return asArray(req.values);
}

/**
 * apimachinery ValidateLabelSelector with the default options (LabelSelectorValidationOptions{}):
 * matchLabels as labels; each matchExpressions entry In/NotIn with values, Exists/DoesNotExist
 * without, a qualified key and label values.
 */
export function checkLabelSelector(selector: unknown, path: string, f: Findings): void {
  if (!isRecord(selector)) return;
  checkLabelMap(selector.matchLabels, `${path}.matchLabels`, f);
  asArray(selector.matchExpressions).forEach((req, i) => {
    if (!isRecord(req)) return;
    const p = `${path}.matchExpressions[${i}]`;
    const values = valuesOf(req);
    const op = req.operator;
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) f.error(`${p}.values`, `operator ${op} needs at least one value: add values, or use Exists / DoesNotExist`);
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) f.error(`${p}.values`, `operator ${op} takes no values, but ${values.length} ${values.length === 1 ? 'is' : 'are'} given: remove values, or use In / NotIn`);
    } else if (typeof op === 'string') {
      f.error(`${p}.operator`, `label selector operator ${describeValue(op)} is not allowed: use ${oneOf(LABEL_SELECTOR_OPERATORS)}`);
    }
    if (typeof req.key === 'string') {
      const problem = keyProblem('label selector key', req.key);
      if (problem) f.error(`${p}.key`, problem);
    }
    values.forEach((v, j) => {
      const problem = typeof v === 'string' ? labelValueProblem(v) : undefined;
      if (problem) f.error(`${p}.values[${j}]`, problem);
    });
  });
}

/** k8svalidation ValidateNodeSelectorRequirement (a matchExpressions entry of a node selector term). */
function checkNodeSelectorRequirement(req: Record<string, unknown>, p: string, f: Findings): void {
  const values = valuesOf(req);
  const op = req.operator;
  if (op === 'In' || op === 'NotIn') {
    if (values.length === 0) f.error(`${p}.values`, `operator ${op} needs at least one value: add values, or use Exists / DoesNotExist`);
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (values.length > 0) f.error(`${p}.values`, `operator ${op} takes no values, but ${values.length} ${values.length === 1 ? 'is' : 'are'} given: remove values, or use In / NotIn`);
  } else if (op === 'Gt' || op === 'Lt') {
    if (values.length !== 1) f.error(`${p}.values`, `operator ${op} compares with exactly one value (an integer), but ${values.length} ${values.length === 1 ? 'is' : 'are'} given: give one value`);
  } else if (typeof op === 'string') {
    f.error(`${p}.operator`, `node selector operator ${describeValue(op)} is not allowed: use ${oneOf(NODE_SELECTOR_OPERATORS)}`);
  }
  if (typeof req.key === 'string') {
    const problem = keyProblem('node selector key', req.key);
    if (problem) f.error(`${p}.key`, problem);
  }
}

/** k8svalidation ValidateNodeFieldSelectorRequirement (a matchFields entry): only metadata.name, In/NotIn, one value. */
function checkNodeFieldSelectorRequirement(req: Record<string, unknown>, p: string, f: Findings): void {
  const values = valuesOf(req);
  const op = req.operator;
  if (op === 'In' || op === 'NotIn') {
    if (values.length !== 1) f.error(`${p}.values`, `a node field selector with operator ${op} takes exactly one value (a node name), but ${values.length} ${values.length === 1 ? 'is' : 'are'} given: give one value`);
  } else if (typeof op === 'string') {
    f.error(`${p}.operator`, `node field selector operator ${describeValue(op)} is not allowed: use "In" or "NotIn"`);
  }
  if (typeof req.key === 'string' && req.key !== 'metadata.name') {
    f.error(`${p}.key`, `node field selector key ${describeValue(req.key)} is not supported: the only field is "metadata.name" (use matchExpressions for labels)`);
  } else if (req.key === 'metadata.name') {
    values.forEach((v, j) => {
      const problem = typeof v === 'string' ? dnsSubdomainProblem(v) : undefined;
      if (problem) f.error(`${p}.values[${j}]`, `node name ${problem}`);
    });
  }
}

/** k8svalidation ValidateNodeSelectorTerm. */
function checkNodeSelectorTerm(term: unknown, p: string, f: Findings): void {
  if (!isRecord(term)) return;
  asArray(term.matchExpressions).forEach((r, j) => { if (isRecord(r)) checkNodeSelectorRequirement(r, `${p}.matchExpressions[${j}]`, f); });
  asArray(term.matchFields).forEach((r, j) => { if (isRecord(r)) checkNodeFieldSelectorRequirement(r, `${p}.matchFields[${j}]`, f); });
}

function checkWeight(weight: unknown, p: string, f: Findings): void {
  if (typeof weight === 'number' && (weight <= 0 || weight > 100)) {
    f.error(p, `weight ${weight} is out of range: use 1 to 100`);
  }
}

/** k8svalidation validatePodAffinityTerm. */
function checkPodAffinityTerm(term: unknown, p: string, f: Findings): void {
  if (!isRecord(term)) return;
  checkLabelSelector(term.labelSelector, `${p}.labelSelector`, f);
  checkLabelSelector(term.namespaceSelector, `${p}.namespaceSelector`, f);
  asArray(term.namespaces).forEach((ns, j) => {
    const problem = typeof ns === 'string' ? dnsLabelProblem(ns) : undefined;
    if (problem) f.error(`${p}.namespaces[${j}]`, `namespace ${problem}`);
  });
  if (term.topologyKey === '') {
    f.error(`${p}.topologyKey`, 'topologyKey is empty: name the node label that defines the topology domain, e.g. "kubernetes.io/hostname" or "topology.kubernetes.io/zone"');
  } else if (typeof term.topologyKey === 'string') {
    const problem = keyProblem('topologyKey', term.topologyKey);
    if (problem) f.error(`${p}.topologyKey`, problem);
  }
}

function checkPodAffinity(a: unknown, p: string, f: Findings): void {
  if (!isRecord(a)) return;
  asArray(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => checkPodAffinityTerm(t, `${p}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`, f));
  asArray(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    if (!isRecord(t)) return;
    const q = `${p}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    checkWeight(t.weight, `${q}.weight`, f);
    checkPodAffinityTerm(t.podAffinityTerm, `${q}.podAffinityTerm`, f);
  });
}

/** k8svalidation ValidateAffinity: node affinity, pod affinity and pod anti-affinity. */
export function checkAffinity(affinity: unknown, path: string, f: Findings): void {
  if (!isRecord(affinity)) return;
  const na = affinity.nodeAffinity;
  if (isRecord(na)) {
    const p = `${path}.nodeAffinity`;
    const required = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isRecord(required)) {
      const terms = required.nodeSelectorTerms;
      if (Array.isArray(terms) && terms.length === 0) {
        f.error(`${p}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, 'nodeSelectorTerms is empty: a required node affinity needs at least one term (terms are ORed), e.g. [{matchExpressions: [{key: "kubernetes.io/os", operator: "In", values: ["linux"]}]}]; or remove requiredDuringSchedulingIgnoredDuringExecution');
      }
      asArray(terms).forEach((t, i) => checkNodeSelectorTerm(t, `${p}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`, f));
    }
    asArray(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      if (!isRecord(t)) return;
      const q = `${p}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      checkWeight(t.weight, `${q}.weight`, f);
      checkNodeSelectorTerm(t.preference, `${q}.preference`, f);
    });
  }
  checkPodAffinity(affinity.podAffinity, `${path}.podAffinity`, f);
  checkPodAffinity(affinity.podAntiAffinity, `${path}.podAntiAffinity`, f);
}

/**
 * k8svalidation ValidateTopologySpreadConstraints: maxSkew > 0, a topologyKey, whenUnsatisfiable
 * DoNotSchedule or ScheduleAnyway, no two constraints with the same {topologyKey,
 * whenUnsatisfiable}, minDomains > 0 and only with DoNotSchedule. (The operator's copy does not
 * check matchLabelKeys, nodeAffinityPolicy or nodeTaintsPolicy.)
 */
export function checkTopologySpreadConstraints(list: unknown, path: string, f: Findings): void {
  const constraints = asArray(list);
  constraints.forEach((c, i) => {
    if (!isRecord(c)) return;
    const p = `${path}[${i}]`;
    if (typeof c.maxSkew === 'number' && c.maxSkew <= 0) {
      f.error(`${p}.maxSkew`, `maxSkew ${c.maxSkew} must be greater than zero: use 1 or more (the largest allowed difference in matching pods between topology domains)`);
    }
    if (c.topologyKey === '') {
      f.error(`${p}.topologyKey`, 'topologyKey is empty: name the node label that defines the topology domain, e.g. "topology.kubernetes.io/zone"');
    }
    const when = c.whenUnsatisfiable;
    if (typeof when === 'string' && !WHEN_UNSATISFIABLE.includes(when)) {
      f.error(`${p}.whenUnsatisfiable`, `whenUnsatisfiable ${describeValue(when)} is not allowed: use ${oneOf(WHEN_UNSATISFIABLE)}`);
    }
    const j = constraints.findIndex((o, k) => k > i && isRecord(o) && o.topologyKey === c.topologyKey && o.whenUnsatisfiable === when);
    if (j >= 0) {
      f.error(p, `constraints [${i}] and [${j}] both spread by topologyKey ${describeValue(c.topologyKey)} with whenUnsatisfiable ${describeValue(when)}: Kubernetes allows one constraint per pair; merge them or remove one`);
    }
    if (typeof c.minDomains === 'number') {
      if (c.minDomains <= 0) f.error(`${p}.minDomains`, `minDomains ${c.minDomains} must be greater than zero: use 1 or more, or remove it`);
      if (when !== 'DoNotSchedule') {
        f.error(`${p}.minDomains`, `minDomains applies only with whenUnsatisfiable DoNotSchedule, but whenUnsatisfiable is ${describeValue(when)}: set whenUnsatisfiable: DoNotSchedule, or remove minDomains`);
      }
    }
  });
}

const PERCENT = /^[0-9]+%$/;

/** intstr value as ValidateRollingUpdateDeployment reads it: a percent's number, an integer, or 0 (unset, or a string that is no number). */
function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (PERCENT.test(v)) return Number.parseInt(v.slice(0, -1), 10);
    return /^[+-]?[0-9]+$/.test(v) ? Number.parseInt(v, 10) : 0;
  }
  return 0;
}

/**
 * k8svalidation ValidateDeploymentStrategy / ValidateRollingUpdateDeployment on the override's
 * `spec.strategy.rollingUpdate` (the operator validates it as type RollingUpdate: components
 * `GetDeploymentStrategy`): maxUnavailable and maxSurge each a non-negative integer or a percentage,
 * not both 0 (an unset one counts as 0), maxUnavailable at most 100%.
 */
export function checkRollingUpdate(strategy: unknown, path: string, f: Findings): void {
  if (!isRecord(strategy) || !isRecord(strategy.rollingUpdate)) return;
  const ru = strategy.rollingUpdate;
  const p = `${path}.rollingUpdate`;
  for (const field of ['maxUnavailable', 'maxSurge']) {
    const v = ru[field];
    if (typeof v === 'string' && !PERCENT.test(v)) {
      f.error(`${p}.${field}`, `${field} ${describeValue(v)} is not a number of pods or a percentage: write an integer (e.g. 1) or a percentage (e.g. "25%")`);
    } else if (typeof v === 'number' && v < 0) {
      f.error(`${p}.${field}`, `${field} ${v} is negative: use 0 or more pods, or a percentage`);
    }
  }
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    const shown = (v: unknown) => (v === undefined || v === null ? 'unset (0)' : typeof v === 'string' && !PERCENT.test(v) && intOrPercentValue(v) === 0 ? `${describeValue(v)} (read as 0)` : describeValue(v));
    f.error(`${p}.maxUnavailable`, `maxUnavailable ${shown(ru.maxUnavailable)} and maxSurge ${shown(ru.maxSurge)} are both 0, so a rollout could never replace a pod: set maxUnavailable (e.g. 1) or maxSurge (e.g. "25%") above 0`);
  }
  if (typeof ru.maxUnavailable === 'string' && PERCENT.test(ru.maxUnavailable) && intOrPercentValue(ru.maxUnavailable) > 100) {
    f.error(`${p}.maxUnavailable`, `maxUnavailable ${describeValue(ru.maxUnavailable)} is more than 100%: use at most "100%"`);
  }
}

/** helper.IsStandardContainerResourceName: cpu, memory, ephemeral-storage, hugepages-<size>. */
function isStandardContainerResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-');
}

/** helper.IsNativeResource: unprefixed, or in the kubernetes.io/ namespace. */
function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** helper.IsExtendedResourceName: not native, not `requests.`-prefixed, and `requests.<name>` a qualified name. */
export function isExtendedResource(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return labelKeyProblem(`requests.${name}`) === undefined;
}

/** v1helper.IsOvercommitAllowed: native and not hugepages (a request may then be below its limit). */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !name.startsWith('hugepages-');
}

/**
 * Why a container resource name is not allowed (v1validation ValidateContainerResourceName):
 * a qualified name; unprefixed only cpu, memory, ephemeral-storage or hugepages-<size>; prefixed, a
 * kubernetes.io resource or an extended resource. Undefined when it is allowed.
 */
export function containerResourceNameProblem(name: string): string | undefined {
  const allowed = 'use cpu, memory, ephemeral-storage, hugepages-<size> (e.g. hugepages-2Mi) or an extended resource <domain>/<name> (e.g. "example.com/foo")';
  if (labelKeyProblem(name) !== undefined) return `resource name ${describeValue(name)} is not a qualified name: ${allowed}`;
  if (!name.includes('/')) {
    return isStandardContainerResource(name) ? undefined : `resource name ${describeValue(name)} is not a container resource: ${allowed}`;
  }
  if (!isNativeResource(name) && !isExtendedResource(name)) {
    return `resource name ${describeValue(name)} does not follow the extended resource name standard: ${allowed}`;
  }
  return undefined;
}
