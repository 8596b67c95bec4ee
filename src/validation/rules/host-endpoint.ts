import { describeValue, isRecord } from '../../model/values';
import { dnsSubdomainProblem } from '../../model/names';
import { parseIp } from '../../model/net';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { asArray, Findings, nonEmpty, specOf } from '../../model/manifest';
import { checkProtocol, portProblem, protocolSupportsPorts } from './policy-rule';

/** validator/v3 `interfaceRegex` (or "*"). */
export const INTERFACE_NAME = /^[a-zA-Z0-9_.-]{1,15}$/;

/**
 * Checks named ports of an endpoint (HostEndpoint, WorkloadEndpoint): validator/v3
 * `validateEndpointPort` / `validateWorkloadEndpointPort` and the tags of EndpointPort
 * (name `portName`, port `gt=0`): the protocol must have ports (TCP, UDP, SCTP).
 */
export function checkEndpointPorts(ports: unknown, path: string, f: Findings, workload: boolean): void {
  asArray(ports).forEach((p, i) => {
    if (!isRecord(p)) return;
    const pp = `${path}[${i}]`;
    const name = p.name;
    if (typeof name === 'string' && name !== '') {
      const problem = portProblem(name);
      if (problem || /^[0-9:]+$/.test(name)) f.error(`${pp}.name`, problem ?? `port name ${describeValue(name)} is a number; a named port needs a name with at least one letter (e.g. "http")`);
    } else if (!workload || p.hostPort === undefined || p.hostPort === 0) {
      f.error(`${pp}.name`, workload ? 'a workload endpoint port needs a name unless it sets hostPort: set name (e.g. "http")' : 'the port has no name: set name, the name rules refer to (e.g. "http")');
    }
    const proto = checkProtocol(p.protocol, `${pp}.protocol`, f);
    if (p.protocol !== undefined && proto !== undefined && !protocolSupportsPorts(proto)) {
      f.error(`${pp}.protocol`, `protocol ${describeValue(p.protocol)} has no ports: a named port uses TCP, UDP or SCTP`);
    }
    if (p.protocol === undefined || p.protocol === null) f.error(`${pp}.protocol`, 'the port has no protocol: set protocol to TCP, UDP or SCTP');
    if (typeof p.port === 'number' && (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535)) {
      f.error(`${pp}.port`, `port ${describeValue(p.port)} is out of range: use 1 to 65535`);
    }
  });
}

/**
 * Calico's rules for a HostEndpoint (projectcalico.org/v3), mirroring libcalico-go validator/v3
 * `validateHostEndpointSpec` (a node, and an interface or expected IPs) and the tags of
 * api/pkg/apis/projectcalico/v3 hostendpoint.go (node `name`, interfaceName `interface`,
 * expectedIPs `dive,ip`, profiles `dive,name`, ports EndpointPort).
 */
export function validateHostEndpoint(obj: ManifestObject, _options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const spec = specOf(obj);
  if (!spec) return f.violations;
  const node = nonEmpty(spec.node);
  if (node === undefined) {
    f.error('spec.node', 'the HostEndpoint names no node: set spec.node to the name of the node that owns the interface');
  } else {
    const problem = dnsSubdomainProblem(node);
    if (problem) f.error('spec.node', `node ${problem}`);
  }
  const iface = nonEmpty(spec.interfaceName);
  if (iface !== undefined && iface !== '*' && !INTERFACE_NAME.test(iface)) {
    f.error('spec.interfaceName', `interfaceName ${describeValue(iface)} is not a valid interface name: use 1-15 letters, digits, '_', '.' or '-' (e.g. "eth0"), or "*" for all of the node's interfaces`);
  }
  const ips = asArray(spec.expectedIPs);
  if (iface === undefined && ips.length === 0) {
    f.error('spec', 'the HostEndpoint has neither interfaceName nor expectedIPs: set interfaceName (e.g. "eth0", or "*") and/or expectedIPs');
  }
  ips.forEach((ip, i) => {
    if (typeof ip !== 'string') return;
    const r = parseIp(ip);
    if (!r.ok) f.error(`spec.expectedIPs[${i}]`, `expectedIPs: ${r.error}`);
  });
  asArray(spec.profiles).forEach((p, i) => {
    if (typeof p !== 'string') return;
    const problem = dnsSubdomainProblem(p);
    if (problem) f.error(`spec.profiles[${i}]`, `profile name ${problem}`);
  });
  checkEndpointPorts(spec.ports, 'spec.ports', f, false);
  return f.violations;
}
