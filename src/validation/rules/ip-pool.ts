import { checkBlockSize } from '../../model/calico-rules';
import { overlapsLinkLocal, parseCidr } from '../../model/net';
import { crdFieldSchema } from '../../releases/crd-store';
import { CALICO_RELEASES, isCalicoVersion } from '../../releases/releases';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { checkSelector } from './common';
import { asArray, Findings, specOf } from '../../model/manifest';

const MODES = ['Always', 'CrossSubnet', 'Never'];

/**
 * Calico's rules for an IPPool (projectcalico.org/v3), mirroring libcalico-go clientv3/ippool.go
 * `validateAndSetDefaults`, validator/v3 `validateIPPoolSpec` and the struct tags of
 * api/pkg/apis/projectcalico/v3 ippool.go.
 */
export function validateIpPool(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const spec = specOf(obj);
  if (!spec) return f.violations;

  checkSelector(spec.nodeSelector, 'spec.nodeSelector', f);
  checkSelector(spec.namespaceSelector, 'spec.namespaceSelector', f);

  // Deprecated v1 compatibility fields: `mustBeNil` / `mustBeFalse` tags.
  if (spec.ipip !== undefined && spec.ipip !== null) {
    f.error('spec.ipip', 'spec.ipip is an internal v1-compatibility field that must not be set: use spec.ipipMode ("Always", "CrossSubnet" or "Never")');
  }
  if (spec['nat-outgoing'] === true) {
    f.error('spec.nat-outgoing', 'spec.nat-outgoing is an internal v1-compatibility field that must not be set: use spec.natOutgoing: true');
  }

  // Values that libcalico-go refuses: checked here where the release's CRD has no enum for them
  // (where it has, the schema check reports them).
  if (isCalicoVersion(options.calicoVersion)) {
    const tag = options.calicoVersion;
    const enumless = (field: string) => !crdFieldSchema(tag, 'ippools.crd.projectcalico.org', ['spec', field])?.enum;
    for (const field of ['ipipMode', 'vxlanMode']) {
      const v = spec[field];
      if (typeof v === 'string' && v !== '' && !MODES.includes(v) && enumless(field)) {
        const fixed = MODES.find((m) => m.toLowerCase() === v.toLowerCase());
        f.error(`spec.${field}`, `${field} ${JSON.stringify(v)} is not allowed: use "Always", "CrossSubnet" or "Never"${fixed ? `; did you mean ${JSON.stringify(fixed)}?` : ''}`);
      }
    }
    const allowed: readonly string[] = CALICO_RELEASES[tag].ipPoolAllowedUses;
    asArray(spec.allowedUses).forEach((u, i) => {
      if (typeof u === 'string' && !allowed.includes(u) && enumless('allowedUses')) {
        f.error(`spec.allowedUses[${i}]`, `allowedUses value ${JSON.stringify(u)} is not allowed in Calico ${tag}: use ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
      }
    });
  }

  const ipipMode = typeof spec.ipipMode === 'string' && spec.ipipMode !== '' ? spec.ipipMode : 'Never';
  const vxlanMode = typeof spec.vxlanMode === 'string' && spec.vxlanMode !== '' ? spec.vxlanMode : 'Never';
  const ipipOn = ipipMode !== 'Never' && MODES.includes(ipipMode);
  const vxlanOn = vxlanMode !== 'Never' && MODES.includes(vxlanMode);
  if (ipipOn && vxlanOn) {
    f.error('spec.vxlanMode', `ipipMode (${ipipMode}) and vxlanMode (${vxlanMode}) cannot both be enabled on one pool: set one of them to "Never"`);
  }

  const uses = asArray(spec.allowedUses).filter((u): u is string => typeof u === 'string');
  const loadBalancer = uses.includes('LoadBalancer');
  if (loadBalancer) {
    // validateIPPoolSpec: LoadBalancer pools.
    for (const u of uses) {
      if (u === 'Workload' || u === 'Tunnel') {
        f.error('spec.allowedUses', `allowedUses cannot combine LoadBalancer with ${u}: use a separate pool for Service LoadBalancer addresses`);
      }
    }
    if (ipipOn || vxlanOn) {
      f.error(ipipOn ? 'spec.ipipMode' : 'spec.vxlanMode', 'a pool with allowedUses LoadBalancer cannot use IPIP or VXLAN: set ipipMode and vxlanMode to "Never"');
    }
    if (spec.disableBGPExport === true) {
      f.error('spec.disableBGPExport', 'a pool with allowedUses LoadBalancer cannot set disableBGPExport: true (Calico rejects it); remove disableBGPExport');
    }
    const sel = typeof spec.nodeSelector === 'string' && spec.nodeSelector !== '' ? spec.nodeSelector : 'all()';
    if (sel !== 'all()') {
      f.error('spec.nodeSelector', `a pool with allowedUses LoadBalancer must have nodeSelector "all()" (found ${JSON.stringify(sel)})`);
    }
  }

  if (spec.cidr === undefined || spec.cidr === '') {
    f.error('spec.cidr', 'the IPPool has no cidr: set the pool range, e.g. "10.244.0.0/16"');
    return f.violations;
  }
  if (typeof spec.cidr !== 'string') return f.violations;
  const parsed = parseCidr(spec.cidr);
  if (!parsed.ok) {
    f.error('spec.cidr', parsed.error);
    return f.violations;
  }
  const cidr = parsed.value;
  if (cidr.family === 6 && ipipMode !== 'Never') {
    f.error('spec.ipipMode', `IPIP is not supported on the IPv6 pool ${cidr.text}: set ipipMode to "Never" (use vxlanMode for an IPv6 overlay)`);
  }
  checkBlockSize(cidr, spec.blockSize, 'spec', (p, m) => f.error(p, m), spec.disabled !== true);
  const ll = overlapsLinkLocal(cidr);
  if (ll) f.error('spec.cidr', `the pool ${cidr.text} overlaps the link-local range ${ll}, which Calico refuses for pools; choose another range`);
  return f.violations;
}

