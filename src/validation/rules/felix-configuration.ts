import { describeValue, parseCidr, parseIp } from '../../model/net';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { asArray, Findings, isRecord, specOf } from './common';
import { portProblem } from './policy-rule';

/**
 * Calico's rules for a FelixConfiguration (projectcalico.org/v3), mirroring libcalico-go
 * validator/v3 `validateFelixConfigSpec`, `validateRouteTableRange`, `validateRouteTableIDRange`
 * and `validateHealthTimeoutOverride`. (Enum-like fields are the CRD schema's.)
 */

const OPENSTACK_PREFIX = 'openstack-region-';
const HTO_NAME = /^[a-zA-Z0-9_ -]+$/;

export function validateFelixConfiguration(obj: ManifestObject, _options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const spec = specOf(obj);
  if (!spec) return f.violations;

  const ranges = spec.kubeNodePortRanges;
  if (Array.isArray(ranges)) {
    if (ranges.length > 7) f.error('spec.kubeNodePortRanges', `kubeNodePortRanges lists ${ranges.length} ranges; at most 7 are allowed (iptables multiport takes 15 ports, two per range): merge ranges`);
    ranges.forEach((p, i) => {
      const problem = portProblem(p);
      if (problem) f.error(`spec.kubeNodePortRanges[${i}]`, problem);
      else if (typeof p === 'string' && !/^[0-9]+(:[0-9]+)?$/.test(p)) f.error(`spec.kubeNodePortRanges[${i}]`, `kubeNodePortRanges entry ${describeValue(p)} is a named port; node port ranges are numbers or "min:max" ranges`);
    });
  }
  asArray(spec.externalNodesCIDRList).forEach((c, i) => {
    if (typeof c !== 'string') return;
    const r = parseCidr(c, { allowBareIp: true, allowHostBits: true });
    if (!r.ok) f.error(`spec.externalNodesCIDRList[${i}]`, `externalNodesCIDRList: ${r.error}`);
    else if (r.value.family !== 4) f.error(`spec.externalNodesCIDRList[${i}]`, `externalNodesCIDRList entry ${describeValue(c)} is IPv6; the list takes IPv4 CIDRs only`);
  });
  const region = spec.openstackRegion;
  if (typeof region === 'string' && region !== '') {
    if (region.length > 63 - OPENSTACK_PREFIX.length) f.error('spec.openstackRegion', `openstackRegion ${describeValue(region)} is too long: at most ${63 - OPENSTACK_PREFIX.length} characters (it becomes part of a namespace name)`);
    else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(region)) f.error('spec.openstackRegion', `openstackRegion ${describeValue(region)} must be a DNS label: lower case letters, digits and '-', starting and ending with a letter or digit`);
  }
  for (const [field, family] of [['natOutgoingAddress', 4], ['deviceRouteSourceAddress', 4], ['deviceRouteSourceAddressIPv6', 6]] as const) {
    const v = spec[field];
    if (typeof v !== 'string' || v === '') continue;
    const ip = parseIp(v);
    if (!ip.ok || ip.value.family !== family) f.error(`spec.${field}`, `${field} ${describeValue(v)} is not a valid IPv${family} address`);
  }
  if (spec.routeTableRange !== undefined && spec.routeTableRange !== null && spec.routeTableRanges !== undefined && spec.routeTableRanges !== null) {
    f.error('spec.routeTableRange', 'routeTableRange cannot be set together with routeTableRanges: keep routeTableRanges (routeTableRange is the older, single-range form)');
  }
  if (isRecord(spec.routeTableRange)) {
    const { min, max } = spec.routeTableRange;
    if (typeof min === 'number' && typeof max === 'number' && !(min >= 1 && max >= min && max <= 250)) {
      f.error('spec.routeTableRange', `routeTableRange ${min}-${max} is not valid: use a range of route table indices within 1..250, min at most max`);
    }
  }
  let tables = 0;
  asArray(spec.routeTableRanges).forEach((r, i) => {
    if (!isRecord(r) || typeof r.min !== 'number' || typeof r.max !== 'number') return;
    if (r.min > r.max) f.error(`spec.routeTableRanges[${i}]`, `routeTableRanges[${i}] has min ${r.min} above max ${r.max}: swap them`);
    if (r.min <= 0) f.error(`spec.routeTableRanges[${i}]`, `routeTableRanges[${i}] starts at ${r.min}; route table indices start at 1`);
    if (r.max > 0xffffffff) f.error(`spec.routeTableRanges[${i}]`, `routeTableRanges[${i}] max ${r.max} is above the highest Linux route table index 4294967295`);
    if (r.max >= r.min) tables += r.max - r.min + 1;
  });
  if (tables > 0xffff) f.error('spec.routeTableRanges', `routeTableRanges target ${tables} tables; at most 65535 are allowed: narrow the ranges`);
  asArray(spec.healthTimeoutOverrides).forEach((h, i) => {
    if (!isRecord(h)) return;
    if (typeof h.name === 'string' && !HTO_NAME.test(h.name)) f.error(`spec.healthTimeoutOverrides[${i}].name`, `health timeout override name ${describeValue(h.name)} is not valid: use letters, digits, '_', '-' and spaces`);
    if (typeof h.timeout === 'string' && h.timeout.startsWith('-')) f.error(`spec.healthTimeoutOverrides[${i}].timeout`, `timeout ${describeValue(h.timeout)} is negative: use a positive duration such as "30s"`);
  });
  return f.violations;
}
