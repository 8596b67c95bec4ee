import { parseCidr } from '../../model/net';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { isRecord } from '../../model/values';
import { asArray, Findings, specOf } from '../../model/manifest';

/**
 * Calico's rules for NetworkSet and GlobalNetworkSet (projectcalico.org/v3), mirroring
 * libcalico-go validator/v3 `validateNetworkSet` / `validateGlobalNetworkSet` (the label
 * projectcalico.org/namespace is reserved) and the `nets` tag `omitempty,dive,cidr` of
 * api/pkg/apis/projectcalico/v3 networkset.go and globalnetworkset.go: each net is an address or a
 * CIDR, host bits allowed (cnet.ParseCIDROrIP).
 */
export function validateNetworkSet(obj: ManifestObject, _options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const md: unknown = (obj as { metadata?: unknown }).metadata;
  if (isRecord(md) && isRecord(md.labels) && Object.prototype.hasOwnProperty.call(md.labels, 'projectcalico.org/namespace')) {
    f.error('metadata.labels["projectcalico.org/namespace"]', `the label projectcalico.org/namespace is reserved (Calico sets it on namespaced endpoints itself) and is not allowed on a ${obj.kind}: remove it${obj.kind === 'NetworkSet' ? '; policies select a NetworkSet\'s namespace with namespaceSelector' : ''}`);
  }
  const spec = specOf(obj);
  if (!spec) return f.violations;
  asArray(spec.nets).forEach((n, i) => {
    if (typeof n !== 'string') return;
    const c = parseCidr(n, { allowBareIp: true, allowHostBits: true });
    if (!c.ok) f.error(`spec.nets[${i}]`, `nets: ${c.error}`);
  });
  return f.violations;
}
