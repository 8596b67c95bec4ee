import { describeValue, isRecord } from '../../model/values';
import { dnsSubdomainProblem } from '../../model/names';
import { parseCidr, parseIp } from '../../model/net';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { parseAsNumber } from '../../model/bgp-values';
import { asArray, Findings, nonEmpty, specOf } from '../../model/manifest';
import { releaseTag } from './meta';
import { labelKeyProblem, labelValueProblem } from '../../model/names';
import { checkEndpointPorts, INTERFACE_NAME } from './host-endpoint';
import { checkRuleLists } from './policy-rule';
import { suggest } from '../schema/schema-text';

/**
 * The projectcalico.org/v3 kinds that have no CRD and that the Calico API server does not serve:
 * Node, WorkloadEndpoint and Profile (libcalico-go lib/apis/v3 node.go, workloadendpoint.go;
 * api/pkg/apis/projectcalico/v3 profile.go). Only calicoctl reads them from a manifest. Their
 * rules mirror libcalico-go validator/v3 `validateNodeSpec`, `validateWorkloadEndpointSpec`,
 * `validateWorkloadEndpointPort`, `validateIPNAT`, the Rule checks for Profile rules, and the field
 * tags of those types; without a schema, the spec's field names are checked here.
 */

/** The kinds handled here. */
export const CALICOCTL_ONLY_KINDS = ['Node', 'WorkloadEndpoint', 'Profile'] as const;

const NOTES: Readonly<Record<string, string>> = {
  Node: 'projectcalico.org/v3 Node has no CRD and is not served by the Calico API server, so kubectl cannot apply it; calicoctl can (with the Kubernetes datastore, Calico Nodes mirror Kubernetes Nodes: calicoctl updates the Calico part of a Node that exists, it cannot create one)',
  WorkloadEndpoint: 'projectcalico.org/v3 WorkloadEndpoint has no CRD and is not served by the Calico API server, so kubectl cannot apply it; calicoctl can, though Calico\'s CNI plugin normally manages workload endpoints (with the Kubernetes datastore they mirror pods)',
  Profile: 'projectcalico.org/v3 Profile has no CRD; only calicoctl applies it (with the Kubernetes datastore, Calico derives profiles from Namespaces and ServiceAccounts and the Calico API server serves them read-only)',
};

/** Spec fields of each kind (Go json names), for reporting unknown or mis-cased ones. */
const SPEC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Node: ['bgp', 'ipv4VXLANTunnelAddr', 'ipv6VXLANTunnelAddr', 'vxlanTunnelMACAddr', 'vxlanTunnelMACAddrV6', 'orchRefs', 'wireguard', 'addresses'],
  WorkloadEndpoint: ['orchestrator', 'workload', 'node', 'containerID', 'pod', 'endpoint', 'serviceAccountName', 'ipNetworks', 'ipNATs', 'ipv4Gateway', 'ipv6Gateway', 'profiles', 'interfaceName', 'mac', 'ports', 'allowSpoofedSourcePrefixes', 'qosControls'],
  Profile: ['ingress', 'egress', 'labelsToApply'],
};
const NODE_BGP_FIELDS = ['asNumber', 'ipv4Address', 'ipv6Address', 'ipv4IPIPTunnelAddr', 'routeReflectorClusterID'];

const MAC = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$|^([0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}$/;
/** validator/v3 `containerIDFmt`. */
const CONTAINER_ID = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

function unknownFields(obj: Record<string, unknown>, known: readonly string[], path: string, f: Findings): void {
  for (const key of Object.keys(obj).sort()) {
    if (known.includes(key)) continue;
    const exact = known.find((k) => k.toLowerCase() === key.toLowerCase());
    if (exact !== undefined) {
      f.error(`${path}.${key}`, `field "${key}" is mis-cased; the field is "${exact}": calicoctl decodes field names case-insensitively and would read it, but write it as "${exact}"`);
    } else {
      const close = suggest(key, known);
      f.error(`${path}.${key}`, `unknown field "${key}"${close !== undefined ? `; did you mean "${close}"?` : ` (known fields: ${known.join(', ')})`}`);
    }
  }
}

function checkIp(v: unknown, family: 4 | 6, path: string, what: string, f: Findings): void {
  if (typeof v !== 'string' || v === '') return;
  const ip = parseIp(v);
  if (!ip.ok) f.error(path, `${what}: ${ip.error}`);
  else if (ip.value.family !== family) f.error(path, `${what} ${describeValue(v)} is an IPv${ip.value.family} address; use an IPv${family} address`);
}

function checkCidrOrIp(v: unknown, family: 4 | 6 | undefined, path: string, what: string, f: Findings): void {
  if (typeof v !== 'string' || v === '') return;
  const c = parseCidr(v, { allowBareIp: true, allowHostBits: true });
  if (!c.ok) f.error(path, `${what}: ${c.error}`);
  else if (family !== undefined && c.value.family !== family) f.error(path, `${what} ${describeValue(v)} is IPv${c.value.family}; use an IPv${family} address with its prefix length (e.g. ${family === 4 ? '"10.0.0.5/24"' : '"fd00::5/64"'})`);
}

function checkMac(v: unknown, path: string, f: Findings): void {
  if (typeof v === 'string' && v !== '' && !MAC.test(v)) f.error(path, `${describeValue(v)} is not a MAC address: write six hexadecimal pairs, e.g. "ee:ee:ee:ee:ee:ee"`);
}

function checkNode(spec: Record<string, unknown>, f: Findings): void {
  if (spec.bgp !== undefined && spec.bgp !== null) {
    const bgp = isRecord(spec.bgp) ? spec.bgp : {};
    if (Object.keys(bgp).every((k) => bgp[k] === undefined || bgp[k] === null || bgp[k] === '')) {
      f.error('spec.bgp', 'spec.bgp is empty, which Calico rejects (validateNodeSpec): remove it, or set ipv4Address/ipv6Address (the node\'s BGP addresses with prefix length)');
    }
    unknownFields(bgp, NODE_BGP_FIELDS, 'spec.bgp', f);
    if (bgp.asNumber !== undefined && bgp.asNumber !== null) {
      const as = parseAsNumber(bgp.asNumber);
      if (!as.ok) f.error('spec.bgp.asNumber', as.error);
    }
    checkCidrOrIp(bgp.ipv4Address, 4, 'spec.bgp.ipv4Address', 'bgp.ipv4Address', f);
    checkCidrOrIp(bgp.ipv6Address, 6, 'spec.bgp.ipv6Address', 'bgp.ipv6Address', f);
    checkIp(bgp.ipv4IPIPTunnelAddr, 4, 'spec.bgp.ipv4IPIPTunnelAddr', 'bgp.ipv4IPIPTunnelAddr', f);
    checkIp(bgp.routeReflectorClusterID, 4, 'spec.bgp.routeReflectorClusterID', 'bgp.routeReflectorClusterID (written as an IPv4 address)', f);
  }
  checkIp(spec.ipv4VXLANTunnelAddr, 4, 'spec.ipv4VXLANTunnelAddr', 'ipv4VXLANTunnelAddr', f);
  checkIp(spec.ipv6VXLANTunnelAddr, 6, 'spec.ipv6VXLANTunnelAddr', 'ipv6VXLANTunnelAddr', f);
  checkMac(spec.vxlanTunnelMACAddr, 'spec.vxlanTunnelMACAddr', f);
  checkMac(spec.vxlanTunnelMACAddrV6, 'spec.vxlanTunnelMACAddrV6', f);
  if (isRecord(spec.wireguard)) {
    checkIp(spec.wireguard.interfaceIPv4Address, 4, 'spec.wireguard.interfaceIPv4Address', 'wireguard.interfaceIPv4Address', f);
    checkIp(spec.wireguard.interfaceIPv6Address, 6, 'spec.wireguard.interfaceIPv6Address', 'wireguard.interfaceIPv6Address', f);
  }
  asArray(spec.addresses).forEach((a, i) => {
    if (!isRecord(a)) return;
    checkCidrOrIp(a.address, undefined, `spec.addresses[${i}].address`, 'address', f);
    const type = a.type;
    if (typeof type === 'string' && type !== '' && !['CalicoNodeIP', 'InternalIP', 'ExternalIP'].includes(type)) {
      f.error(`spec.addresses[${i}].type`, `address type ${describeValue(type)} is not allowed: use "CalicoNodeIP", "InternalIP" or "ExternalIP"`);
    }
  });
}

function checkWorkloadEndpoint(spec: Record<string, unknown>, f: Findings): void {
  for (const field of ['node', 'endpoint']) {
    const v = nonEmpty(spec[field]);
    const problem = v !== undefined ? dnsSubdomainProblem(v) : undefined;
    if (problem) f.error(`spec.${field}`, `${field} ${problem}`);
  }
  const cid = nonEmpty(spec.containerID);
  if (cid !== undefined && !CONTAINER_ID.test(cid)) {
    f.error('spec.containerID', `containerID ${describeValue(cid)} is not valid: use letters, digits and '-', starting and ending with a letter or digit`);
  }
  const iface = spec.interfaceName;
  if (iface === undefined || iface === '') {
    f.error('spec.interfaceName', 'the WorkloadEndpoint names no interface: set spec.interfaceName (the host side of the veth, e.g. "cali0ef24ba")');
  } else if (typeof iface === 'string' && iface !== '*' && !INTERFACE_NAME.test(iface)) {
    f.error('spec.interfaceName', `interfaceName ${describeValue(iface)} is not a valid interface name: use 1-15 letters, digits, '_', '.' or '-'`);
  }
  checkMac(spec.mac, 'spec.mac', f);
  const nets: { family: 4 | 6; start: bigint; end: bigint }[] = [];
  asArray(spec.ipNetworks).forEach((n, i) => {
    if (typeof n !== 'string') return;
    const c = parseCidr(n, { allowBareIp: true, allowHostBits: true });
    if (!c.ok) {
      f.error(`spec.ipNetworks[${i}]`, `ipNetworks: ${c.error}`);
      return;
    }
    const bits = c.value.family === 4 ? 32 : 128;
    if (c.value.prefixLength !== bits) {
      f.error(`spec.ipNetworks[${i}]`, `ipNetworks entry ${describeValue(n)} holds more than one address: a workload endpoint's networks are single addresses (/${bits}); write ${JSON.stringify(`${n.split('/')[0]}/${bits}`)}`);
    }
    nets.push(c.value);
  });
  // IPv4Gateway / IPv6Gateway: an address of the right family.
  checkIp(nonEmpty(spec.ipv4Gateway), 4, 'spec.ipv4Gateway', 'ipv4Gateway', f);
  checkIp(nonEmpty(spec.ipv6Gateway), 6, 'spec.ipv6Gateway', 'ipv6Gateway', f);
  asArray(spec.ipNATs).forEach((nat, i) => {
    if (!isRecord(nat)) return;
    const internal = parseIp(nat.internalIP);
    const external = parseIp(nat.externalIP);
    if (!internal.ok) f.error(`spec.ipNATs[${i}].internalIP`, `ipNATs internalIP: ${internal.error}`);
    if (!external.ok) f.error(`spec.ipNATs[${i}].externalIP`, `ipNATs externalIP: ${external.error}`);
    if (internal.ok && external.ok && internal.value.family !== external.value.family) {
      f.error(`spec.ipNATs[${i}].externalIP`, `externalIP ${describeValue(nat.externalIP)} is IPv${external.value.family} but internalIP ${describeValue(nat.internalIP)} is IPv${internal.value.family}: a NAT maps addresses of one family`);
    }
    if (internal.ok && !nets.some((n) => n.family === internal.value.family && n.start <= internal.value.value && internal.value.value <= n.end)) {
      f.error(`spec.ipNATs[${i}].internalIP`, `internalIP ${describeValue(nat.internalIP)} is not one of the endpoint's ipNetworks: a NAT maps one of the endpoint's own addresses; add it to spec.ipNetworks`);
    }
  });
  asArray(spec.profiles).forEach((p, i) => {
    if (typeof p !== 'string') return;
    const problem = dnsSubdomainProblem(p);
    if (problem) f.error(`spec.profiles[${i}]`, `profile name ${problem}`);
  });
  asArray(spec.allowSpoofedSourcePrefixes).forEach((p, i) => checkCidrOrIp(p, undefined, `spec.allowSpoofedSourcePrefixes[${i}]`, 'allowSpoofedSourcePrefixes', f));
  checkEndpointPorts(spec.ports, 'spec.ports', f, true);
}

/**
 * The name a WorkloadEndpoint must have: clientv3 `workloadEndpoints.assignOrValidateName`
 * (libcalico-go lib/clientv3/workloadendpoint.go), which calicoctl runs on create and apply, with
 * lib/names/workloadendpoint.go `CalculateWorkloadEndpointName(false)`: the name is
 * `<node>-<orchestrator>-<workload part>-<endpoint>`, where the workload part is spec.pod for the
 * k8s orchestrator, spec.containerID for cni, the orchestrator itself for libnetwork and
 * spec.workload for any other; every part is required, may not begin or end with '-', and has each
 * '-' doubled. A name that differs is refused ("the WorkloadEndpoint name does not match the
 * primary identifiers assigned in the Spec"); an empty name is calculated by the client.
 */
/** Whether the field tags checked in checkWorkloadEndpoint already refuse the value (node/endpoint `name`, containerID `containerIDFmt`). */
function reportedElsewhere(field: string, value: string): boolean {
  if (field === 'node' || field === 'endpoint') return dnsSubdomainProblem(value) !== undefined;
  if (field === 'containerID') return !CONTAINER_ID.test(value);
  return false;
}

function checkWorkloadEndpointName(obj: ManifestObject, spec: Record<string, unknown>, f: Findings): void {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const node = text(spec.node);
  if (node === '') {
    f.error('spec.node', 'the WorkloadEndpoint names no node: set spec.node (the name of the node that hosts the workload); Calico builds the endpoint\'s name from it');
    return;
  }
  const orchestrator = text(spec.orchestrator);
  const workloadField = orchestrator === 'k8s' ? 'pod' : orchestrator === 'cni' ? 'containerID' : orchestrator === 'libnetwork' ? 'orchestrator' : 'workload';
  const segments: { field: string; value: string }[] = [
    { field: 'node', value: node },
    { field: 'orchestrator', value: orchestrator },
    { field: workloadField, value: text(spec[workloadField]) },
    { field: 'endpoint', value: text(spec.endpoint) },
  ];
  let complete = true;
  segments.forEach(({ field, value }, i) => {
    if (i === 2 && field === 'orchestrator') return; // libnetwork: the orchestrator is the workload part; reported once
    if (value === '') {
      complete = false;
      const why = field === 'orchestrator' ? 'e.g. "k8s" (then spec.pod names the workload), "cni" (spec.containerID) or "libnetwork"' : field === 'endpoint' ? 'the endpoint\'s name within the workload, e.g. "eth0"' : `the workload part of the endpoint's name for orchestrator ${describeValue(orchestrator)}`;
      f.error(`spec.${field}`, `spec.${field} is not set, but Calico builds the WorkloadEndpoint's name from it: set ${field} (${why})`);
    } else if (reportedElsewhere(field, value)) {
      complete = false;
    } else if (value.startsWith('-') || value.endsWith('-')) {
      complete = false;
      f.error(`spec.${field}`, `${field} ${describeValue(value)} ${value.startsWith('-') ? 'begins' : 'ends'} with '-', which Calico refuses in a part of the WorkloadEndpoint's name: remove the leading or trailing '-'`);
    }
  });
  const name = obj.metadata?.name;
  if (!complete || typeof name !== 'string' || name === '') return;
  const expected = segments.map((s) => s.value.replace(/-/g, '--')).join('-');
  if (name !== expected) {
    f.error('metadata.name', `name ${describeValue(name)} does not match the spec: calicoctl requires a WorkloadEndpoint's name to be <node>-<orchestrator>-<${workloadField}>-<endpoint> with each '-' inside a part doubled; rename it ${describeValue(expected)}, or change the spec fields`);
  }
}

function checkProfile(spec: Record<string, unknown>, options: ValidateOptions, f: Findings): void {
  checkRuleLists(spec, 'spec', { tag: releaseTag(options.calicoVersion), crd: undefined, global: false }, f);
  if (isRecord(spec.labelsToApply)) {
    for (const [k, v] of Object.entries(spec.labelsToApply)) {
      const path = `spec.labelsToApply[${JSON.stringify(k)}]`;
      const keyProblem = labelKeyProblem(k);
      if (keyProblem) f.error(path, keyProblem);
      const valueProblem = typeof v === 'string' ? labelValueProblem(v) : undefined;
      if (valueProblem) f.error(path, valueProblem);
    }
  }
}

/** Rules and the "only calicoctl" note for Node, WorkloadEndpoint and Profile. */
export function validateCalicoctlOnlyKind(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  f.warning('', `${NOTES[obj.kind]}; checked against Calico's rules for ${obj.kind}`);
  if (obj.kind === 'WorkloadEndpoint' && (obj.metadata?.namespace === undefined || obj.metadata.namespace === '')) {
    f.error('metadata.namespace', 'a WorkloadEndpoint is namespaced: set metadata.namespace (the pod\'s namespace)');
  }
  const raw: unknown = (obj as { spec?: unknown }).spec;
  if (raw !== undefined && !isRecord(raw)) {
    f.error('spec', `spec must be an object; got ${describeValue(raw)}`);
    return f.violations;
  }
  const spec = specOf(obj);
  if (!spec) return f.violations;
  unknownFields(spec, SPEC_FIELDS[obj.kind] ?? [], 'spec', f);
  if (obj.kind === 'Node') checkNode(spec, f);
  else if (obj.kind === 'WorkloadEndpoint') {
    checkWorkloadEndpointName(obj, spec, f);
    checkWorkloadEndpoint(spec, f);
  }
  else if (obj.kind === 'Profile') checkProfile(spec, options, f);
  return f.violations;
}
