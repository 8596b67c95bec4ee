import { describeValue, isRecord } from '../../model/values';
import { dnsSubdomainProblem, LABEL_FMT } from '../../model/names';
import { parseCidr } from '../../model/net';
import { CALICO_RELEASES } from '../../releases/releases';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { checkSelector, oneOf } from './common';
import { asArray, Findings, nonEmpty, objectName, specOf } from '../../model/manifest';
import { releaseTag, schemaHas } from './meta';
import { checkNoGlobal, checkRuleLists } from './policy-rule';

/**
 * Calico's rules for the policy kinds: NetworkPolicy, GlobalNetworkPolicy, StagedNetworkPolicy,
 * StagedGlobalNetworkPolicy and StagedKubernetesNetworkPolicy (libcalico-go validator/v3
 * `validateNetworkPolicy`, `validateGlobalNetworkPolicy`, `validateStaged*`,
 * `validateNetworkPolicySpec`, `validateGlobalNetworkPolicySpec`, and the field tags of
 * api/pkg/apis/projectcalico/v3 networkpolicy.go, globalnetworkpolicy.go, staged*.go).
 */

const SUBDOMAIN = `${LABEL_FMT}(\\.${LABEL_FMT})*`;
/** validator/v3 name formats per release (`networkPolicyNameRegex`, `globalNetworkPolicyNameRegex`). */
const NAME_FORMATS = {
  label: {
    namespaced: new RegExp(`^((${LABEL_FMT})|((?:knp|ossg)\\.default\\.(${SUBDOMAIN})))$`),
    global: new RegExp(`^(${LABEL_FMT})$`),
    text: "one DNS-1123 label: lower case letters, digits and '-', starting and ending with a letter or digit, no '.'",
  },
  tiered: {
    namespaced: new RegExp(`^((${LABEL_FMT})(\\.${LABEL_FMT})?|((?:knp|ossg)\\.default\\.(${SUBDOMAIN})))$`),
    global: new RegExp(`^(${LABEL_FMT}\\.)?${LABEL_FMT}$`),
    text: "a DNS-1123 label (lower case letters, digits and '-', starting and ending with a letter or digit), optionally prefixed by a tier name and one '.' (\"<tier>.<name>\")",
  },
} as const;

const POLICY_TYPES = ['Ingress', 'Egress'];
const STAGED_ACTIONS = ['Set', 'Delete', 'Learn', 'Ignore'];
const CRD: Readonly<Record<string, string>> = {
  NetworkPolicy: 'networkpolicies.crd.projectcalico.org',
  GlobalNetworkPolicy: 'globalnetworkpolicies.crd.projectcalico.org',
  StagedNetworkPolicy: 'stagednetworkpolicies.crd.projectcalico.org',
  StagedGlobalNetworkPolicy: 'stagedglobalnetworkpolicies.crd.projectcalico.org',
  StagedKubernetesNetworkPolicy: 'stagedkubernetesnetworkpolicies.crd.projectcalico.org',
};

/** A close name that matches the policy name format, for the fix. */
function suggestPolicyName(name: string, global: boolean, tiered: boolean): string | undefined {
  const lower = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  const parts = lower.split('.').map((p) => p.replace(/^-+|-+$/g, '')).filter((p) => p !== '');
  const s = tiered && parts.length >= 2 ? `${parts[0]}.${parts.slice(1).join('-')}` : parts.join('-');
  const re = NAME_FORMATS[tiered ? 'tiered' : 'label'][global ? 'global' : 'namespaced'];
  return s !== '' && s.length <= 253 && re.test(s) ? s : undefined;
}

function checkPolicyName(obj: ManifestObject, global: boolean, options: ValidateOptions, f: Findings): void {
  const name = objectName(obj);
  if (name === '') return; // checkMetadataName reports it
  const tag = releaseTag(options.calicoVersion);
  const format = tag !== undefined ? CALICO_RELEASES[tag].policyNames : 'tiered';
  const re = NAME_FORMATS[format][global ? 'global' : 'namespaced'];
  if (name.length > 253) return; // checkMetadataName reports the length
  if (!re.test(name)) {
    const fix = suggestPolicyName(name, global, format === 'tiered');
    const dot = name.includes('.') && format === 'label' ? ` (Calico ${tag} has no tiers, so a policy name has no '.')` : '';
    const where = tag !== undefined ? ` in Calico ${tag}` : '';
    f.error('metadata.name', `${obj.kind} name ${describeValue(name)} is not valid${where}${dot}: use ${NAME_FORMATS[format].text}${global ? '' : ', or "knp.default.<name>" for a converted Kubernetes policy'}${fix && fix !== name ? `, e.g. ${JSON.stringify(fix)}` : ''}`);
  }
}

function checkTypes(spec: Record<string, unknown>, f: Findings, tag: ReturnType<typeof releaseTag>, crd: string | undefined, field = 'types'): void {
  const seen = new Set<string>();
  asArray(spec[field]).forEach((t, i) => {
    if (typeof t !== 'string') return;
    if (!POLICY_TYPES.includes(t) && !schemaHas(tag, crd, ['spec', field], 'enum')) {
      const fixed = POLICY_TYPES.find((p) => p.toLowerCase() === t.toLowerCase());
      f.error(`spec.${field}[${i}]`, `policy type ${describeValue(t)} is not allowed (case-sensitive): use ${oneOf(POLICY_TYPES)}${fixed ? `; here ${JSON.stringify(fixed)}` : ''}`);
    }
    if (seen.has(t)) f.error(`spec.${field}[${i}]`, `policy type ${describeValue(t)} is listed more than once: list each of "Ingress" and "Egress" at most once`);
    seen.add(t);
  });
}

/** Fields every Calico policy spec shares: tier, selectors, types, rules, performanceHints. */
function checkPolicySpec(spec: Record<string, unknown>, kind: string, global: boolean, options: ValidateOptions, f: Findings): void {
  const tag = releaseTag(options.calicoVersion);
  const crd = CRD[kind];
  const tier = nonEmpty(spec.tier);
  if (tier !== undefined) {
    const problem = dnsSubdomainProblem(tier);
    if (problem) f.error('spec.tier', `tier ${problem}`);
  }
  checkSelector(spec.selector, 'spec.selector', f);
  checkSelector(spec.serviceAccountSelector, 'spec.serviceAccountSelector', f);
  checkNoGlobal(spec.selector, 'spec.selector', 'spec.selector', f);
  checkNoGlobal(spec.serviceAccountSelector, 'spec.serviceAccountSelector', 'spec.serviceAccountSelector', f);
  if (global) {
    checkSelector(spec.namespaceSelector, 'spec.namespaceSelector', f);
    checkNoGlobal(spec.namespaceSelector, 'spec.namespaceSelector', 'spec.namespaceSelector', f);
  }
  checkTypes(spec, f, tag, crd);
  asArray(spec.performanceHints).forEach((h, i) => {
    if (typeof h === 'string' && h !== 'AssumeNeededOnEveryNode' && !schemaHas(tag, crd, ['spec', 'performanceHints'], 'enum')) {
      f.error(`spec.performanceHints[${i}]`, `performance hint ${describeValue(h)} is not known: the only hint is "AssumeNeededOnEveryNode"`);
    }
  });
  checkRuleLists(spec, 'spec', { tag, crd, global }, f);

  if (global) {
    // validateGlobalNetworkPolicySpec: preDNAT / doNotTrack / applyOnForward.
    const preDNAT = spec.preDNAT === true;
    const doNotTrack = spec.doNotTrack === true;
    if (preDNAT && doNotTrack) {
      f.error('spec.preDNAT', 'preDNAT and doNotTrack cannot both be true: a policy applies either before DNAT (preDNAT) or untracked (doNotTrack); keep one');
    }
    if (preDNAT && asArray(spec.egress).length > 0) {
      f.error('spec.egress', 'a preDNAT policy cannot have egress rules (it applies to traffic arriving at host endpoints before DNAT): move them to another policy');
    }
    if (preDNAT && asArray(spec.types).includes('Egress')) {
      f.error('spec.types', 'a preDNAT policy cannot have type Egress: use types: [Ingress]');
    }
    if ((preDNAT || doNotTrack) && spec.applyOnForward !== true) {
      f.error('spec.applyOnForward', `applyOnForward must be true when ${preDNAT ? 'preDNAT' : 'doNotTrack'} is true: set applyOnForward: true`);
    }
  }
}

/**
 * Rules for NetworkPolicy and GlobalNetworkPolicy (projectcalico.org/v3).
 */
export function validateNetworkPolicy(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const global = obj.kind === 'GlobalNetworkPolicy';
  checkPolicyName(obj, global, options, f);
  const spec = specOf(obj);
  if (spec) checkPolicySpec(spec, obj.kind, global, options, f);
  return f.violations;
}

/**
 * Whether a spec field holds a value other than its Go zero value (the check is reflect.DeepEqual
 * with an empty spec): false, "" and an empty object (a struct) are zero; numbers (`order` is a
 * pointer), lists (even empty: a non-nil slice) and other values are set.
 */
function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '') return false;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return true;
}

/** stagedAction Delete: every other spec field (but `tier`, where kept) must be unset. */
function checkStagedDelete(spec: Record<string, unknown>, keep: readonly string[], f: Findings): void {
  const extra = Object.keys(spec).filter((k) => k !== 'stagedAction' && !keep.includes(k) && isSet(spec[k])).sort();
  if (extra.length > 0) {
    f.error('spec.stagedAction', `stagedAction Delete stages the removal of the policy, so the other spec fields must be empty${keep.length > 0 ? ` (except ${keep.join(', ')})` : ''}, but ${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} set: remove ${extra.length === 1 ? 'it' : 'them'}, or use stagedAction Set`);
  }
}

function checkStagedAction(spec: Record<string, unknown>, kind: string, options: ValidateOptions, f: Findings): string | undefined {
  const a = spec.stagedAction;
  if (typeof a !== 'string' || a === '') return undefined;
  if (!STAGED_ACTIONS.includes(a)) {
    if (!schemaHas(releaseTag(options.calicoVersion), CRD[kind], ['spec', 'stagedAction'], 'enum')) {
      f.error('spec.stagedAction', `stagedAction ${describeValue(a)} is not allowed (case-sensitive): use ${oneOf(STAGED_ACTIONS)}`);
    }
    return undefined;
  }
  return a;
}

/** Rules for StagedNetworkPolicy and StagedGlobalNetworkPolicy (validateStaged(Global)NetworkPolicy). */
export function validateStagedPolicy(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const global = obj.kind === 'StagedGlobalNetworkPolicy';
  checkPolicyName(obj, global, options, f);
  const spec = specOf(obj);
  if (!spec) return f.violations;
  const action = checkStagedAction(spec, obj.kind, options, f);
  if (action === 'Delete') checkStagedDelete(spec, ['tier'], f);
  else checkPolicySpec(spec, obj.kind, global, options, f);
  return f.violations;
}

/**
 * Rules for StagedKubernetesNetworkPolicy (validateStagedKubernetesNetworkPolicy): Delete needs an
 * empty spec; otherwise the spec is a Kubernetes NetworkPolicy spec, converted to a Calico policy
 * (libcalico-go conversion K8sNetworkPolicyToCalico) whose selectors, CIDRs and ports must hold.
 */
export function validateStagedKubernetesPolicy(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const spec = specOf(obj);
  if (!spec) return f.violations;
  const action = checkStagedAction(spec, obj.kind, options, f);
  if (action === 'Delete') {
    checkStagedDelete(spec, [], f);
    return f.violations;
  }
  checkTypes(spec, f, releaseTag(options.calicoVersion), CRD[obj.kind], 'policyTypes');
  for (const [list, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    asArray(spec[list]).forEach((rule, i) => {
      if (!isRecord(rule)) return;
      const rp = `spec.${list}[${i}]`;
      asArray(rule.ports).forEach((p, j) => {
        if (!isRecord(p)) return;
        const proto = p.protocol;
        if (typeof proto === 'string' && !['TCP', 'UDP', 'SCTP'].includes(proto)) {
          f.error(`${rp}.ports[${j}].protocol`, `Kubernetes policy port protocol ${describeValue(proto)} is not valid: use "TCP", "UDP" or "SCTP"`);
        }
        if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535)) f.error(`${rp}.ports[${j}].port`, `port ${describeValue(p.port)} is out of range: use 1 to 65535, or a port name`);
        if (typeof p.endPort === 'number' && typeof p.port === 'number' && p.endPort < p.port) {
          f.error(`${rp}.ports[${j}].endPort`, `endPort ${p.endPort} is below port ${p.port}: endPort must be at least port`);
        }
      });
      asArray(rule[peers]).forEach((peer, j) => {
        if (!isRecord(peer) || !isRecord(peer.ipBlock)) return;
        const bp = `${rp}.${peers}[${j}].ipBlock`;
        const cidr = peer.ipBlock.cidr;
        // Kubernetes ipBlock: net.ParseCIDR (host bits allowed); except entries inside it.
        const c = typeof cidr === 'string' ? parseCidr(cidr, { allowHostBits: true }) : undefined;
        if (c && !c.ok) f.error(`${bp}.cidr`, `ipBlock.cidr: ${c.error}`);
        asArray(peer.ipBlock.except).forEach((e, k) => {
          if (typeof e !== 'string') return;
          const x = parseCidr(e, { allowHostBits: true });
          if (!x.ok) f.error(`${bp}.except[${k}]`, `ipBlock.except: ${x.error}`);
          else if (c?.ok && (x.value.family !== c.value.family || x.value.start < c.value.start || x.value.end > c.value.end)) {
            f.error(`${bp}.except[${k}]`, `ipBlock.except ${describeValue(e)} is not inside ipBlock.cidr ${describeValue(cidr)}: an exception must lie within the block`);
          }
        });
      });
    });
  }
  return f.violations;
}
