import { Cidr, overlapsLinkLocal, parseCidr } from '../../model/net';
import { crdHasField } from '../../releases/crd-store';
import { CALICO_RELEASES, isCalicoVersion } from '../../releases/releases';
import { checkCustomResource } from './installation-resource';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { checkSelector } from './common';
import { isRecord } from '../../model/values';
import { asArray, Findings, nonEmpty, objectName, specOf } from '../../model/manifest';
import { dnsSubdomainProblem } from '../../model/names';
import { checkBlockSize } from '../../model/calico-rules';

/** Installation names the operator reconciles (operator utils GetInstallation; the v3.32 CRD CEL rule adds "overlay"). */
const INSTALLATION_NAMES = ['default', 'tigera-secure'];

const IPIP = ['IPIP', 'IPIPCrossSubnet'];
const VXLAN = ['VXLAN', 'VXLANCrossSubnet'];

/** What the operator settles on for CNI, IPAM and BGP after defaulting (installation/defaults.go). */
export interface EffectiveNetwork {
  /** CNI plugin, or undefined when it depends on a managed provider's default. */
  readonly cni: string | undefined;
  readonly ipam: string | undefined;
  /** "Enabled" / "Disabled", or undefined when unknown. */
  readonly bgp: string | undefined;
  readonly bgpDefaulted: boolean;
}

/**
 * The CNI/IPAM/BGP an Installation ends up with. The operator defaults BGP to Enabled for the
 * Calico CNI (except on EKS) and Disabled otherwise; the CNI itself defaults to Calico outside the
 * managed providers (EKS, GKE, AKS), whose defaults are not modelled here.
 */
export function effectiveNetwork(spec: Record<string, unknown>): EffectiveNetwork {
  const provider = typeof spec.kubernetesProvider === 'string' ? spec.kubernetesProvider : '';
  const cniSpec = isRecord(spec.cni) ? spec.cni : {};
  const managed = ['EKS', 'GKE', 'AKS'].includes(provider);
  const cni = nonEmpty(cniSpec.type) ?? (managed ? undefined : 'Calico');
  const ipamSpec = isRecord(cniSpec.ipam) ? cniSpec.ipam : {};
  const ipam = nonEmpty(ipamSpec.type) ?? (cni === 'Calico' ? 'Calico' : undefined);
  const cn = isRecord(spec.calicoNetwork) ? spec.calicoNetwork : {};
  const explicit = nonEmpty(cn.bgp);
  let bgp = explicit;
  if (bgp === undefined && cni !== undefined) bgp = cni === 'Calico' && provider !== 'EKS' ? 'Enabled' : 'Disabled';
  return { cni, ipam, bgp, bgpDefaulted: explicit === undefined };
}

/** The encapsulation an Installation pool ends up with (operator ippool defaults). */
export function effectiveEncapsulation(pool: Record<string, unknown>, family: 4 | 6, cni: string | undefined): { value: string | undefined; defaulted: boolean } {
  const explicit = nonEmpty(pool.encapsulation);
  if (explicit !== undefined) return { value: explicit, defaulted: false };
  if (family === 6) return { value: 'None', defaulted: true };
  return { value: cni === undefined ? undefined : cni === 'Calico' ? 'IPIP' : 'None', defaulted: true };
}

/**
 * Rules for an operator.tigera.io/v1 Installation's spec.calicoNetwork, mirroring the Tigera
 * operator's pool validation (pkg/controller/ippool/validation.go `ValidatePools`; for v3.24.5's
 * operator v1.28, pkg/controller/installation/validation.go `validateCustomResource`) after its
 * defaulting (pkg/controller/ippool/defaults.go, installation/defaults.go), plus the Calico IPPool
 * checks the pools meet once the operator creates them.
 */
export function validateInstallation(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const name = objectName(obj);
  const names: readonly string[] = isCalicoVersion(options.calicoVersion) ? CALICO_RELEASES[options.calicoVersion].installationNames : INSTALLATION_NAMES;
  if (name !== '' && !names.includes(name)) {
    f.warning('metadata.name', `the operator only reconciles the Installation named "default", so ${JSON.stringify(name)} is ignored: rename it to "default"`);
  }
  const spec = specOf(obj);
  if (spec) checkCustomResource(spec, options, f);
  if (!spec || !isRecord(spec.calicoNetwork)) return f.violations;
  const cn = spec.calicoNetwork;
  const net = effectiveNetwork(spec);
  const base = 'spec.calicoNetwork';
  const bgpText = net.bgpDefaulted ? `BGP (spec.calicoNetwork.bgp, which defaults to ${net.bgp})` : `spec.calicoNetwork.bgp`;

  const pools = asArray(cn.ipPools);
  const seenCidrs = new Map<string, number>();
  const seenNames = new Map<string, number>();
  const perFamily: Record<4 | 6, number[]> = { 4: [], 6: [] };
  const multiplePools = isCalicoVersion(options.calicoVersion) && CALICO_RELEASES[options.calicoVersion].multiplePoolsPerFamily;
  const hasRoutingMode = isCalicoVersion(options.calicoVersion) && crdHasField(options.calicoVersion, 'installations.operator.tigera.io', ['spec', 'calicoNetwork', 'clusterRoutingMode']);
  const felixRoutes = hasRoutingMode && cn.clusterRoutingMode === 'Felix';

  pools.forEach((pool, i) => {
    if (!isRecord(pool)) return;
    const path = `${base}.ipPools[${i}]`;
    checkSelector(pool.nodeSelector, `${path}.nodeSelector`, f);

    const poolName = nonEmpty(pool.name);
    if (poolName !== undefined) {
      const problem = dnsSubdomainProblem(poolName);
      if (problem) f.error(`${path}.name`, `pool name ${problem} (it becomes the IPPool's name)`);
      if (seenNames.has(poolName)) {
        f.error(`${path}.name`, `IP pool name ${JSON.stringify(poolName)} is specified more than once (also ipPools[${seenNames.get(poolName)}]): give each pool a distinct name`);
      } else {
        seenNames.set(poolName, i);
      }
    }

    if (typeof pool.cidr !== 'string' || pool.cidr === '') return; // missing/wrong type: schema reports it
    const parsed = parseCidr(pool.cidr);
    if (!parsed.ok) {
      f.error(`${path}.cidr`, parsed.error);
      return;
    }
    const cidr: Cidr = parsed.value;
    if (seenCidrs.has(cidr.text)) {
      f.error(`${path}.cidr`, `IP pool ${cidr.text} is specified more than once (also ipPools[${seenCidrs.get(cidr.text)}]): remove the duplicate`);
    } else {
      seenCidrs.set(cidr.text, i);
    }
    perFamily[cidr.family].push(i);

    const encap = effectiveEncapsulation(pool, cidr.family, net.cni);
    const encapText = encap.defaulted ? `encapsulation ${encap.value} (the operator's default for IPv${cidr.family} pools)` : `encapsulation ${encap.value}`;
    if (cidr.family === 6 && encap.value !== undefined && IPIP.includes(encap.value)) {
      f.error(`${path}.encapsulation`, `IPIP encapsulation is not supported by IPv6 pools, but it is set for ${cidr.text}: use VXLAN, VXLANCrossSubnet or None`);
    }
    if (net.cni === 'Calico') {
      // Operator v1.42 (Calico v3.32): with clusterRoutingMode Felix, Felix programs the routes
      // and IPIP / unencapsulated pools no longer need BGP (validateCustomResource, felixProgramsClusterRoutes).
      if (net.ipam === 'Calico' && encap.value !== undefined && net.bgp === 'Disabled' && !felixRoutes) {
        const routing = hasRoutingMode ? ' (or spec.calicoNetwork.clusterRoutingMode: Felix, so that Felix programs the routes)' : '';
        if (IPIP.includes(encap.value)) {
          f.error(`${path}.encapsulation`, `${encapText} needs BGP to program routes, but ${bgpText} is Disabled: use VXLAN or VXLANCrossSubnet, or set spec.calicoNetwork.bgp: Enabled${routing}`);
        } else if (encap.value === 'None') {
          f.error(`${path}.encapsulation`, `an unencapsulated pool (${encapText}) needs BGP to program routes, but ${bgpText} is Disabled: use VXLAN, or set spec.calicoNetwork.bgp: Enabled${routing}`);
        }
      }
      if (net.ipam === 'HostLocal' && encap.value !== undefined && VXLAN.includes(encap.value)) {
        f.error(`${path}.encapsulation`, `${encap.value} is invalid for ipPool.encapsulation with Calico CNI and HostLocal IPAM: use IPIP, IPIPCrossSubnet or None, or Calico IPAM`);
      }
    } else if (net.cni !== undefined) {
      if (encap.value !== undefined && encap.value !== 'None') {
        f.error(`${path}.encapsulation`, `${encap.value} is invalid for ipPool.encapsulation with the ${net.cni} CNI plugin: it must be None (encapsulation needs the Calico CNI)`);
      }
      const sel = nonEmpty(pool.nodeSelector) ?? 'all()';
      if (sel !== 'all()') {
        f.error(`${path}.nodeSelector`, `ipPool.nodeSelector (${JSON.stringify(sel)}) must be "all()" when using the ${net.cni} CNI plugin`);
      }
    }

    checkBlockSize(cidr, pool.blockSize, path, (p, m) => f.error(p, m));
    const ll = overlapsLinkLocal(cidr);
    if (ll) f.error(`${path}.cidr`, `the pool ${cidr.text} overlaps the link-local range ${ll}, which Calico refuses for pools; choose another range`);
  });

  if (!multiplePools) {
    // operator v1.28 validateCustomResource: "only one IPPool per version is allowed".
    for (const fam of [4, 6] as const) {
      for (const i of perFamily[fam].slice(1)) {
        f.error(`${base}.ipPools[${i}]`, `only one IPv${fam} pool is allowed in the Installation with Calico ${options.calicoVersion} (operator v1.28): keep ipPools[${perFamily[fam][0]}] and create further pools as IPPool resources`);
      }
    }
  }

  if (net.cni !== undefined && net.cni !== 'Calico' && net.bgp === 'Enabled' && !net.bgpDefaulted) {
    f.error(`${base}.bgp`, `BGP is not supported when using the ${net.cni} CNI plugin: set spec.calicoNetwork.bgp: Disabled`);
  }
  if (net.cni !== undefined && net.cni !== 'Calico') {
    if (cn.hostPorts === 'Enabled') f.error(`${base}.hostPorts`, `spec.calicoNetwork.hostPorts is supported only with the Calico CNI plugin (cni.type is ${net.cni}): remove it`);
    if (cn.multiInterfaceMode !== undefined && cn.multiInterfaceMode !== null) f.error(`${base}.multiInterfaceMode`, `spec.calicoNetwork.multiInterfaceMode is supported only with the Calico CNI plugin (cni.type is ${net.cni}): remove it`);
    if (cn.containerIPForwarding !== undefined && cn.containerIPForwarding !== null) f.error(`${base}.containerIPForwarding`, `spec.calicoNetwork.containerIPForwarding is supported only with the Calico CNI plugin (cni.type is ${net.cni}): remove it`);
  }

  for (const fam of ['V4', 'V6'] as const) {
    const ad = cn[`nodeAddressAutodetection${fam}`];
    if (!isRecord(ad)) continue;
    const path = `${base}.nodeAddressAutodetection${fam}`;
    // validateNodeAddressDetection: at most one method per family.
    const methods: string[] = [];
    if (nonEmpty(ad.interface)) methods.push('interface');
    if (nonEmpty(ad.skipInterface)) methods.push('skipInterface');
    if (nonEmpty(ad.canReach)) methods.push('canReach');
    if (ad.firstFound === true) methods.push('firstFound');
    if (asArray(ad.cidrs).length > 0) methods.push('cidrs');
    if (ad.kubernetes !== undefined && ad.kubernetes !== null) methods.push('kubernetes');
    if (methods.length > 1) {
      f.error(path, `no more than one node address autodetection method can be set per family, found ${methods.join(', ')}: keep one (e.g. cidrs with the node network)`);
    }
    asArray(ad.cidrs).forEach((c, j) => {
      if (typeof c !== 'string') return;
      // Go net.ParseCIDR: mask required, host bits allowed.
      const p = parseCidr(c, { allowHostBits: true });
      if (!p.ok) f.error(`${path}.cidrs[${j}]`, `invalid CIDR for node address autodetection: ${p.error}`);
    });
  }

  // Trap: on bare metal (no kubernetesProvider) the operator defaults IPv4 autodetection to
  // firstFound, which on multi-homed nodes may pick the wrong interface; node addresses recorded
  // without their real subnet (e.g. /32) make CrossSubnet encapsulate all traffic and BGP peer
  // from the wrong address.
  const provider = typeof spec.kubernetesProvider === 'string' ? spec.kubernetesProvider : '';
  const v4Pools = pools.length === 0 || perFamily[4].length > 0;
  const crossSubnet = pools.some((p) => isRecord(p) && (p.encapsulation === 'VXLANCrossSubnet' || p.encapsulation === 'IPIPCrossSubnet'));
  if (provider === '' && v4Pools && (crossSubnet || net.bgp === 'Enabled') && cn.nodeAddressAutodetectionV4 === undefined) {
    const why = crossSubnet ? 'CrossSubnet encapsulation' : 'BGP';
    f.warning(`${base}.nodeAddressAutodetectionV4`, `${why} on bare metal relies on each node's IPv4 address and subnet, but nodeAddressAutodetectionV4 is not set: the operator then uses firstFound, which can pick the wrong interface on multi-homed nodes, and an address recorded without its subnet (e.g. /32) makes CrossSubnet encapsulate all traffic. Set nodeAddressAutodetectionV4, e.g. {cidrs: ["<node network CIDR>"]} or {interface: "<uplink>"}`);
  }

  return f.violations;
}

/** APIServer names the operator reconciles (the v3.32.1 CRD CEL rule: "default" or "tigera-secure"). */
const API_SERVER_NAMES = ['default', 'tigera-secure'];

/** Rules for an operator.tigera.io/v1 APIServer: the operator only reconciles the one named "default". */
export function validateApiServer(obj: ManifestObject, _options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const name = objectName(obj);
  if (name !== '' && !API_SERVER_NAMES.includes(name)) {
    f.warning('metadata.name', `the operator only reconciles the APIServer named "default", so ${JSON.stringify(name)} is ignored: rename it to "default"`);
  }
  return f.violations;
}
