import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { isRecord } from '../../model/values';
import { asArray, Findings, nonEmpty, specOf } from '../../model/manifest';
import { checkNetField } from './meta';

/** validator/v3 `bgpFilterInterfaceRegex` (or "*"). */
const FILTER_INTERFACE = /^[a-zA-Z0-9_.*-]{1,15}$/;

const LISTS = [
  ['exportV4', 4],
  ['importV4', 4],
  ['exportV6', 6],
  ['importV6', 6],
] as const;

/**
 * Calico's rules for a BGPFilter (projectcalico.org/v3), mirroring libcalico-go validator/v3
 * `validateBGPFilterRule` and the struct tags of api/pkg/apis/projectcalico/v3 bgpfilter.go
 * (cidr: `netv4`/`netv6`, interface: `bgpFilterInterface`).
 */
export function validateBgpFilter(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const spec = specOf(obj);
  if (!spec) return f.violations;
  for (const [list, family] of LISTS) {
    asArray(spec[list]).forEach((rule, i) => {
      if (!isRecord(rule)) return;
      const path = `spec.${list}[${i}]`;
      const cidr = nonEmpty(rule.cidr);
      const op = nonEmpty(rule.matchOperator);
      if (cidr !== undefined) {
        // `netv4` / `netv6`: a bare address is a host route where the release's schema allows it.
        const c = checkNetField(cidr, `${path}.cidr`, 'bgpfilters.crd.projectcalico.org', ['spec', list, 'cidr'], options, f);
        if (c !== undefined && c.family !== family) {
          f.error(`${path}.cidr`, `${JSON.stringify(cidr)} is an IPv${c.family} CIDR in ${list}, which holds IPv${family} rules: move the rule to ${list.replace(/V[46]$/, `V${c.family}`)}`);
        }
      }
      if (cidr !== undefined && op === undefined) {
        f.error(`${path}.matchOperator`, `matchOperator is required when cidr is set: use "Equal", "NotEqual", "In" or "NotIn" to say how routes compare to ${JSON.stringify(cidr)}`);
      }
      if (cidr === undefined && op !== undefined) {
        f.error(`${path}.cidr`, `cidr is required when matchOperator (${JSON.stringify(op)}) is set: give the CIDR routes are compared to, or remove matchOperator`);
      }
      if (cidr === undefined && rule.prefixLength !== undefined && rule.prefixLength !== null) {
        f.error(`${path}.prefixLength`, 'prefixLength needs a cidr: it narrows the prefix lengths matched inside the rule\'s cidr');
      }
      if (isRecord(rule.prefixLength)) {
        const { min, max } = rule.prefixLength;
        if (typeof min === 'number' && typeof max === 'number' && min > max) {
          f.warning(`${path}.prefixLength`, `prefixLength min (${min}) is greater than max (${max}), so the rule matches no route: swap them`);
        }
      }
      const iface = nonEmpty(rule.interface);
      if (iface !== undefined && iface !== '*' && !FILTER_INTERFACE.test(iface)) {
        f.error(`${path}.interface`, `interface ${JSON.stringify(iface)} is not valid: use an interface name of 1-15 characters from letters, digits, '_', '.', '-', with '*' as a wildcard (e.g. "eth*")`);
      }
    });
  }
  return f.violations;
}
