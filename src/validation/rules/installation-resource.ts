import { describeValue, isRecord } from '../../model/values';
import { CALICO_RELEASES, CalicoVersion, isCalicoVersion } from '../../releases/releases';
import { ValidateOptions } from '../options';
import { oneOf } from './common';
import { asArray, Findings, nonEmpty } from '../../model/manifest';
import { checkAnnotations } from './meta';
import { labelKeyProblem, labelValueProblem } from '../../model/names';
import { checkAffinity, checkRollingUpdate, checkTopologySpreadConstraints, containerResourceNameProblem, isExtendedResource, isOvercommitAllowed } from './pod-overrides';

/**
 * The parts of the Tigera operator's Installation validation that are not about IP pools
 * (pkg/controller/installation/validation.go `validateCustomResource`, operator v1.28.5 / v1.40.15 /
 * v1.42.3), applied to the values the operator settles on after its defaulting
 * (installation/defaults.go: CNI and IPAM per provider, linuxDataplane Iptables, variant Calico,
 * nodeUpdateStrategy RollingUpdate). The pool checks are in installation.ts.
 */

/** The IPAM plugins each CNI plugin works with (validateCustomResource), the first being the default. */
const IPAM_FOR_CNI: Readonly<Record<string, readonly string[]>> = {
  Calico: ['Calico', 'HostLocal'],
  GKE: ['HostLocal'],
  AmazonVPC: ['AmazonVPC'],
  AzureVNET: ['AzureVNET'],
};
/** The provider each non-Calico CNI plugin runs on (or bring-your-own: no provider). */
const PROVIDER_FOR_CNI: Readonly<Record<string, string>> = { GKE: 'GKE', AmazonVPC: 'EKS', AzureVNET: 'AKS' };
/** The CNI plugin the operator defaults to on a provider (installation/defaults.go). */
const CNI_FOR_PROVIDER: Readonly<Record<string, string>> = { EKS: 'AmazonVPC', GKE: 'GKE', AKS: 'AzureVNET' };
const COMPONENT_NAMES = ['KubeControllers', 'Node', 'Typha'];
/** utils.AllowedSysctlKeys: the sysctls the CNI tuning plugin may set. */
const ALLOWED_SYSCTLS = ['net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_keepalive_time'];
const BINARY_SI = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei)$/;

function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

/** validateCustomResource, apart from the pools. */
export function checkCustomResource(spec: Record<string, unknown>, options: ValidateOptions, f: Findings): void {
  const tag = isCalicoVersion(options.calicoVersion) ? options.calicoVersion : undefined;
  const provider = typeof spec.kubernetesProvider === 'string' ? spec.kubernetesProvider : '';
  const cniSpec = isRecord(spec.cni) ? spec.cni : {};
  const cni = nonEmpty(cniSpec.type) ?? CNI_FOR_PROVIDER[provider] ?? 'Calico';
  const ipamSpec = isRecord(cniSpec.ipam) ? cniSpec.ipam : {};
  const ipam = nonEmpty(ipamSpec.type) ?? IPAM_FOR_CNI[cni]?.[0];
  const cniText = nonEmpty(cniSpec.type) !== undefined ? `spec.cni.type ${cni}` : `the CNI plugin ${cni} (the operator's default${provider ? ` on ${provider}` : ''})`;

  if (cniSpec.specVersion !== undefined && cniSpec.specVersion !== null && cni !== 'Calico') {
    f.error('spec.cni.specVersion', `spec.cni.specVersion applies only to the Calico CNI plugin's configuration, but ${cniText}: remove specVersion`);
  }
  const allowedIpam = IPAM_FOR_CNI[cni];
  if (allowedIpam !== undefined && ipam !== undefined && !allowedIpam.includes(ipam)) {
    f.error('spec.cni.ipam.type', `spec.cni.ipam.type ${ipam} does not work with ${cniText}: use ${oneOf(allowedIpam)}`);
  }
  const wantProvider = PROVIDER_FOR_CNI[cni];
  if (wantProvider !== undefined && provider !== '' && provider !== wantProvider) {
    f.error('spec.kubernetesProvider', `spec.kubernetesProvider ${provider} does not work with ${cniText}, which runs on ${wantProvider} (or with no kubernetesProvider): use the Calico CNI plugin, or the provider's own`);
  }

  const logging = isRecord(spec.logging) && isRecord(spec.logging.cni) ? spec.logging.cni : undefined;
  if (logging !== undefined) {
    if (cni !== 'Calico') {
      f.error('spec.logging.cni', `spec.logging.cni configures the Calico CNI plugin's log, but ${cniText}: remove spec.logging.cni`);
    } else {
      if (typeof logging.logFileMaxCount === 'number' && logging.logFileMaxCount <= 0) {
        f.error('spec.logging.cni.logFileMaxCount', `logFileMaxCount ${describeValue(logging.logFileMaxCount)} must be greater than zero`);
      }
      if (typeof logging.logFileMaxAgeDays === 'number' && logging.logFileMaxAgeDays <= 0) {
        f.error('spec.logging.cni.logFileMaxAgeDays', `logFileMaxAgeDays ${describeValue(logging.logFileMaxAgeDays)} must be a whole number of days greater than zero`);
      }
      const size = logging.logFileMaxSize;
      if (size !== undefined && size !== null && !(typeof size === 'string' && BINARY_SI.test(size) && Number.parseFloat(size) > 0)) {
        f.error('spec.logging.cni.logFileMaxSize', `logFileMaxSize ${describeValue(size)} must be a positive size with a binary suffix Ki, Mi, Gi, Ti, Pi or Ei (e.g. "100Mi")`);
      }
    }
  }

  const cn = isRecord(spec.calicoNetwork) ? spec.calicoNetwork : undefined;
  if (cn !== undefined) {
    const dataplane = nonEmpty(cn.linuxDataplane) ?? 'Iptables';
    const bgp = nonEmpty(cn.bgp) ?? (cni === 'Calico' && provider !== 'EKS' ? 'Enabled' : 'Disabled');
    if (dataplane === 'VPP') {
      const variant = nonEmpty(spec.variant) ?? 'Calico';
      if (variant !== 'Calico') f.error('spec.variant', `the VPP dataplane supports only the Calico variant, not ${describeValue(variant)}: use variant Calico or another dataplane`);
      if (cni !== 'Calico') f.error('spec.calicoNetwork.linuxDataplane', `the VPP dataplane needs the Calico CNI plugin, but ${cniText}: use cni.type Calico or another dataplane`);
      if (bgp !== 'Enabled') f.error('spec.calicoNetwork.bgp', 'the VPP dataplane needs BGP, but spec.calicoNetwork.bgp is Disabled: set bgp: Enabled, or use another dataplane');
      if (cn.hostPorts === 'Disabled') f.error('spec.calicoNetwork.hostPorts', 'the VPP dataplane cannot disable host ports: remove hostPorts: Disabled');
    }
    // BPF: IPv4 autodetection is defaulted for BPF; IPv6 only from pools already in the cluster (v1.40+).
    if (dataplane === 'BPF' && tag !== undefined && CALICO_RELEASES[tag].bpfRequiresAutodetectionV6 && cn.nodeAddressAutodetectionV6 === undefined) {
      const i = asArray(cn.ipPools).findIndex((p) => isRecord(p) && typeof p.cidr === 'string' && p.cidr.includes(':'));
      if (i >= 0) {
        f.error('spec.calicoNetwork.nodeAddressAutodetectionV6', `the BPF dataplane needs each node's IPv6 address for the IPv6 pool ipPools[${i}], and the operator of Calico ${tag} refuses a BPF install without nodeAddressAutodetectionV6 (it defaults it only from IPv6 pools already in the cluster): set nodeAddressAutodetectionV6, e.g. {firstFound: true} or {cidrs: ["<node IPv6 network>"]}`);
      }
    }
    if (typeof cn.hostPorts === 'string' && !['Enabled', 'Disabled'].includes(cn.hostPorts)) {
      f.error('spec.calicoNetwork.hostPorts', `hostPorts ${describeValue(cn.hostPorts)} is not allowed: use "Enabled" or "Disabled"`);
    }
    asArray(cn.sysctl).forEach((s, i) => {
      if (isRecord(s) && typeof s.key === 'string' && !ALLOWED_SYSCTLS.includes(s.key)) {
        f.error(`spec.calicoNetwork.sysctl[${i}].key`, `sysctl ${describeValue(s.key)} is not one the operator lets the CNI tuning plugin set: use ${oneOf(ALLOWED_SYSCTLS)}`);
      }
    });
    const timeout = cn.linuxPolicySetupTimeoutSeconds;
    if (typeof timeout === 'number') {
      if (timeout < 0) f.error('spec.calicoNetwork.linuxPolicySetupTimeoutSeconds', `linuxPolicySetupTimeoutSeconds ${timeout} is negative: use 0 (no delay) or a number of seconds`);
      const allowed: readonly string[] = tag !== undefined ? CALICO_RELEASES[tag].policySetupTimeoutDataplanes : [];
      if (allowed.length > 0 && !allowed.includes(dataplane)) {
        f.error('spec.calicoNetwork.linuxPolicySetupTimeoutSeconds', `linuxPolicySetupTimeoutSeconds is supported only with the ${oneOf(allowed)} Linux dataplanes (operator ${tag !== undefined ? CALICO_RELEASES[tag].operatorVersion : ''}), but linuxDataplane is ${dataplane}: remove it, or change the dataplane`);
      }
    }
  }

  for (const field of ['flexVolumePath', 'kubeletVolumePluginPath']) {
    const v = spec[field];
    if (typeof v === 'string' && v !== '' && v !== 'None' && !isAbsolute(v)) {
      f.error(`spec.${field}`, `${field} ${describeValue(v)} is not an absolute path: use an absolute path (e.g. "/var/lib/kubelet"), or "None" to disable it`);
    }
  }
  if (isRecord(spec.nodeUpdateStrategy) && typeof spec.nodeUpdateStrategy.type === 'string' && spec.nodeUpdateStrategy.type !== 'RollingUpdate') {
    f.error('spec.nodeUpdateStrategy.type', `nodeUpdateStrategy.type ${describeValue(spec.nodeUpdateStrategy.type)} is not supported: the operator updates calico-node only with RollingUpdate`);
  }
  if (isRecord(spec.controlPlaneNodeSelector)) {
    for (const key of ['beta.kubernetes.io/os', 'kubernetes.io/os']) {
      const v = spec.controlPlaneNodeSelector[key];
      if (v !== undefined && v !== 'linux') {
        f.error(`spec.controlPlaneNodeSelector[${JSON.stringify(key)}]`, `controlPlaneNodeSelector ${key}=${describeValue(v)} is not supported: Calico's control plane runs on Linux; use "linux" or remove the key`);
      }
    }
  }
  if (typeof spec.controlPlaneReplicas === 'number' && spec.controlPlaneReplicas <= 0) {
    f.error('spec.controlPlaneReplicas', `controlPlaneReplicas ${spec.controlPlaneReplicas} must be greater than 0`);
  }
  asArray(spec.componentResources).forEach((r, i) => {
    if (isRecord(r) && typeof r.componentName === 'string' && !COMPONENT_NAMES.includes(r.componentName)) {
      f.error(`spec.componentResources[${i}].componentName`, `componentName ${describeValue(r.componentName)} is not supported: use ${oneOf(COMPONENT_NAMES)}`);
    }
  });
  if (spec.nonPrivileged === 'Enabled') {
    if (tag === 'v3.24.5') {
      // Operator v1.28: non-privileged mode needs the iptables dataplane and the Calico variant.
      if (cn !== undefined && cn.linuxDataplane === 'BPF') f.error('spec.nonPrivileged', 'non-privileged Calico is not supported with the BPF dataplane: use nonPrivileged: Disabled, or the Iptables dataplane');
      if (spec.variant === 'TigeraSecureEnterprise') f.error('spec.nonPrivileged', 'non-privileged Calico is not supported for variant TigeraSecureEnterprise');
    } else {
      f.error('spec.nonPrivileged', `non-privileged Calico is deprecated and the operator of Calico ${tag ?? ''} refuses nonPrivileged: Enabled: remove the field`.replace('Calico  ', 'Calico '));
    }
  }

  const windows = cn !== undefined && cn.windowsDataplane === 'HNS';
  if (windows) {
    if (cni === 'Calico' && asArray(spec.serviceCIDRs).length === 0) {
      f.error('spec.serviceCIDRs', 'spec.serviceCIDRs must list the Service CIDRs when Calico CNI runs on Windows (windowsDataplane HNS): add them, e.g. ["10.96.0.0/12"]');
    }
    // render.GetIPv4Pool: the first IPv4 pool; Calico for Windows does VXLAN or no encapsulation.
    const pools = cn !== undefined ? asArray(cn.ipPools) : [];
    const i = pools.findIndex((p) => isRecord(p) && typeof p.cidr === 'string' && !p.cidr.includes(':'));
    if (cni === 'Calico' && i >= 0) {
      const pool = pools[i] as Record<string, unknown>;
      const encap = nonEmpty(pool.encapsulation) ?? 'IPIP';
      if (encap !== 'VXLAN' && encap !== 'None') {
        f.error(`spec.calicoNetwork.ipPools[${i}].encapsulation`, `encapsulation ${encap}${nonEmpty(pool.encapsulation) === undefined ? ' (the default)' : ''} is not supported by Calico for Windows: use VXLAN or None`);
      }
    }
  } else if (spec.windowsNodes !== undefined && spec.windowsNodes !== null) {
    f.error('spec.windowsNodes', 'spec.windowsNodes is only valid with Calico for Windows (calicoNetwork.windowsDataplane: HNS): remove it, or enable the Windows dataplane');
  }
  if (spec.azure !== undefined && spec.azure !== null && provider !== 'AKS') {
    f.error('spec.azure', `spec.azure is only valid with kubernetesProvider AKS${provider ? `, not ${provider}` : ''}: remove it`);
  }
  checkOverrides(spec, tag, f);
}

const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const QUANTITY = /^([+-]?[0-9.]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;
const SUFFIX: Readonly<Record<string, number>> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

/** A Kubernetes resource quantity as a number, or undefined when it does not parse (apimachinery resource.ParseQuantity). */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = QUANTITY.exec(v);
  if (!m || !/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(m[1])) return undefined;
  const base = Number(m[1]);
  const suffix = m[2];
  if (suffix === undefined) return base;
  if (/^[eE]/.test(suffix)) return base * 10 ** Number(suffix.slice(1));
  return base * SUFFIX[suffix];
}

function checkMetadataMaps(md: unknown, path: string, f: Findings): void {
  if (!isRecord(md)) return;
  if (isRecord(md.labels)) {
    for (const [k, v] of Object.entries(md.labels)) {
      const p = labelKeyProblem(k) ?? (typeof v === 'string' ? labelValueProblem(v) : undefined);
      if (p) f.error(`${path}.labels[${JSON.stringify(k)}]`, p);
    }
  }
  if (isRecord(md.annotations)) checkAnnotations(md.annotations, `${path}.annotations`, f);
}

/** Kubernetes ValidateTolerations, as the operator runs it on overrides. */
export function checkTolerations(tolerations: unknown, path: string, f: Findings): void {
  asArray(tolerations).forEach((t, i) => {
    if (!isRecord(t)) return;
    const p = `${path}[${i}]`;
    const key = typeof t.key === 'string' ? t.key : '';
    const op = typeof t.operator === 'string' ? t.operator : '';
    if (key !== '') {
      const problem = labelKeyProblem(key);
      if (problem) f.error(`${p}.key`, problem.replace(/^label key/, 'toleration key'));
    } else if (op !== 'Exists') {
      f.error(`${p}.operator`, 'a toleration without a key must use operator Exists (it then tolerates every taint): set operator: Exists, or a key');
    }
    if (op !== '' && op !== 'Equal' && op !== 'Exists') {
      f.error(`${p}.operator`, `toleration operator ${describeValue(op)} is not allowed: use "Equal" or "Exists"`);
    }
    if (op === 'Exists' && typeof t.value === 'string' && t.value !== '') {
      f.error(`${p}.value`, `a toleration with operator Exists has no value, but value is ${describeValue(t.value)}: remove value, or use operator Equal`);
    }
    // Operator Equal (or none, which means Equal): the value is matched against a taint value, a label value.
    if ((op === 'Equal' || op === '') && typeof t.value === 'string') {
      const problem = labelValueProblem(t.value);
      if (problem) f.error(`${p}.value`, problem.replace(/^label value/, 'toleration value'));
    }
    if (typeof t.effect === 'string' && t.effect !== '' && !TOLERATION_EFFECTS.includes(t.effect)) {
      f.error(`${p}.effect`, `toleration effect ${describeValue(t.effect)} is not allowed: use ${oneOf(TOLERATION_EFFECTS)}, or leave it out for all effects`);
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      f.error(`${p}.tolerationSeconds`, 'tolerationSeconds applies only to effect NoExecute: set effect: NoExecute, or remove tolerationSeconds');
    }
  });
}

/**
 * v1validation ValidateResourceRequirements: resource names (ValidateContainerResourceName),
 * quantities zero or more, whole numbers for extended resources (IsIntegerResourceName), and each
 * request at most its limit, equal to it where overcommit is not allowed (hugepages, extended
 * resources: v1helper.IsOvercommitAllowed).
 */
function checkResources(resources: unknown, path: string, f: Findings): void {
  if (!isRecord(resources)) return;
  const limits = isRecord(resources.limits) ? resources.limits : {};
  const requests = isRecord(resources.requests) ? resources.requests : {};
  for (const [kind, list] of [['limits', limits], ['requests', requests]] as const) {
    for (const [name, q] of Object.entries(list)) {
      const p = `${path}.${kind}[${JSON.stringify(name)}]`;
      const nameProblem = containerResourceNameProblem(name);
      if (nameProblem) f.error(p, nameProblem);
      const n = parseQuantity(q);
      if (n === undefined) f.error(p, `${kind}.${name} ${describeValue(q)} is not a Kubernetes quantity: write e.g. "250m", "1", "512Mi" or "2Gi"`);
      else if (n < 0) f.error(p, `${kind}.${name} ${describeValue(q)} is negative: quantities are zero or more`);
      else if (isExtendedResource(name) && Math.ceil(n * 1000 - 1e-9) % 1000 !== 0) {
        // helper.IsIntegerResourceName: MilliValue() (rounded up) must be a multiple of 1000.
        f.error(p, `${kind}.${name} ${describeValue(q)} is not a whole number: extended resources are counted in units; use e.g. "1"`);
      }
    }
  }
  for (const [name, q] of Object.entries(requests)) {
    const req = parseQuantity(q);
    const lim = Object.prototype.hasOwnProperty.call(limits, name) ? parseQuantity(limits[name]) : undefined;
    if (req === undefined || lim === undefined) continue;
    const p = `${path}.requests[${JSON.stringify(name)}]`;
    if (!isOvercommitAllowed(name) && req !== lim) {
      f.error(p, `requests.${name} ${describeValue(q)} differs from limits.${name} ${describeValue(limits[name])}: ${name.startsWith('hugepages-') ? 'hugepages' : 'extended resources'} cannot be overcommitted, so the request must equal the limit`);
    } else if (req > lim) {
      f.error(p, `requests.${name} ${describeValue(q)} is more than limits.${name} ${describeValue(limits[name])}: a request must be at most its limit`);
    }
  }
}

/**
 * validation.ValidateReplicatedPodResourceOverrides (pkg/common/validation/overrides.go), for each
 * component override of the Installation that the release has (release data
 * `installationOverrides`; operator v1.28.5 has none): metadata and pod template metadata, container
 * resources, affinity, nodeSelector, topologySpreadConstraints, tolerations,
 * terminationGracePeriodSeconds and the rolling update strategy. Container names and minReadySeconds
 * are enums and minimums of the release's CRD (schema).
 */
export function checkOverrides(spec: Record<string, unknown>, tag: CalicoVersion | undefined, f: Findings): void {
  const fields: readonly string[] = tag !== undefined ? CALICO_RELEASES[tag].installationOverrides : [];
  for (const field of fields) {
    const o = spec[field];
    if (!isRecord(o)) continue;
    const base = `spec.${field}`;
    checkMetadataMaps(o.metadata, `${base}.metadata`, f);
    const ospec = isRecord(o.spec) ? o.spec : {};
    const template = isRecord(ospec.template) ? ospec.template : {};
    checkMetadataMaps(template.metadata, `${base}.spec.template.metadata`, f);
    const pod = isRecord(template.spec) ? template.spec : {};
    for (const list of ['initContainers', 'containers']) {
      asArray(pod[list]).forEach((c, i) => {
        if (isRecord(c)) checkResources(c.resources, `${base}.spec.template.spec.${list}[${i}].resources`, f);
      });
    }
    checkAffinity(pod.affinity, `${base}.spec.template.spec.affinity`, f);
    if (isRecord(pod.nodeSelector)) {
      for (const [k, v] of Object.entries(pod.nodeSelector)) {
        const p = labelKeyProblem(k) ?? (typeof v === 'string' ? labelValueProblem(v) : undefined);
        if (p) f.error(`${base}.spec.template.spec.nodeSelector[${JSON.stringify(k)}]`, p);
      }
    }
    checkTopologySpreadConstraints(pod.topologySpreadConstraints, `${base}.spec.template.spec.topologySpreadConstraints`, f);
    checkTolerations(pod.tolerations, `${base}.spec.template.spec.tolerations`, f);
    if (typeof pod.terminationGracePeriodSeconds === 'number' && pod.terminationGracePeriodSeconds < 0) {
      f.error(`${base}.spec.template.spec.terminationGracePeriodSeconds`, `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} is negative: use 0 or more seconds`);
    }
    checkRollingUpdate(ospec.strategy, `${base}.spec.strategy`, f);
    if (field === 'calicoNodeDaemonSet' && tag !== undefined && CALICO_RELEASES[tag].exclusiveBpfInitContainers) {
      // validation.go validateExclusiveInitContainers: ebpf-bootstrap is the new name of mount-bpffs.
      const names = asArray(pod.initContainers).map((c) => (isRecord(c) ? c.name : undefined));
      const i = names.indexOf('mount-bpffs');
      const j = names.indexOf('ebpf-bootstrap');
      if (i >= 0 && j >= 0) {
        f.error(`${base}.spec.template.spec.initContainers[${Math.max(i, j)}].name`, `initContainers override both "mount-bpffs" (initContainers[${i}]) and "ebpf-bootstrap" (initContainers[${j}]), which the operator of Calico ${tag} refuses: ebpf-bootstrap is the new name of mount-bpffs; keep only the "ebpf-bootstrap" entry`);
      }
    }
  }
}
