import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CALICO_VERSIONS, CalicoVersion } from '../../src/releases/releases';
import { validateManifests } from '../../src/validation';
import { ManifestObject } from '../../src/model/violation';

/** FelixConfiguration: validator/v3 validateFelixConfigSpec and the felixconfig.go field tags, written from the rules. */

const felix = (spec: Record<string, unknown>, name = 'default'): ManifestObject => ({ apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration', metadata: { name }, spec });
const errs = (o: ManifestObject, version: CalicoVersion) => validateManifests([{ object: o }], { calicoVersion: version }).filter((v) => v.severity === 'error').map((v) => [v.path, v.message]);

test('a typical FelixConfiguration is valid on every release', () => {
  for (const version of CALICO_VERSIONS) {
    assert.deepEqual(errs(felix({ logSeverityScreen: 'Info', defaultEndpointToHostAction: 'Accept', iptablesBackend: 'Auto', prometheusMetricsEnabled: true, prometheusMetricsHost: '0.0.0.0', wireguardEnabled: true, kubeNodePortRanges: ['30000:32767'], externalNodesList: ['10.31.0.0/16'] }), version), [], version);
  }
});

test('Go validator values are case-sensitive even where a later schema pattern is not', () => {
  for (const version of CALICO_VERSIONS) {
    const got = errs(felix({ defaultEndpointToHostAction: 'ACCEPT' }), version);
    assert.deepEqual(got, [['spec.defaultEndpointToHostAction', 'defaultEndpointToHostAction "ACCEPT" is not a value Calico\'s validator accepts (case-sensitive): use "Drop", "Accept" or "Return", here "Accept"']], version);
  }
  // A value no spelling fixes: v3.24.5 has no schema pattern (the rule reports); later releases' patterns do.
  assert.deepEqual(errs(felix({ bpfLogLevel: 'Verbose' }), 'v3.24.5').map(([p]) => p), ['spec.bpfLogLevel']);
  assert.deepEqual(errs(felix({ bpfLogLevel: 'Verbose' }), 'v3.31.7').length, 1);
});

test('validateFelixConfigSpec: node port ranges, external nodes, addresses, route tables, health overrides', () => {
  const got = errs(felix({
    kubeNodePortRanges: ['1:2', '3:4', '5:6', '7:8', '9:10', '11:12', '13:14', 'http'],
    externalNodesList: ['fd00::/64'], natOutgoingAddress: 'fd00::1', deviceRouteSourceAddressIPv6: '10.0.0.1',
    routeTableRange: { min: 1, max: 300 }, routeTableRanges: [{ min: 10, max: 5 }],
    healthTimeoutOverrides: [{ name: 'Calc-Graph!', timeout: '-5s' }], openstackRegion: 'Region_1',
    prometheusMetricsHost: 'bad host', featureGates: 'a=b', wireguardListeningPort: 0,
  }), 'v3.31.7');
  assert.deepEqual(got.map(([p]) => p), [
    'spec.wireguardListeningPort', 'spec.prometheusMetricsHost', 'spec.kubeNodePortRanges', 'spec.kubeNodePortRanges[7]',
    'spec.externalNodesList[0]', 'spec.openstackRegion', 'spec.natOutgoingAddress', 'spec.deviceRouteSourceAddressIPv6',
    'spec.routeTableRange', 'spec.routeTableRange', 'spec.routeTableRanges[0]', 'spec.healthTimeoutOverrides[0].name', 'spec.healthTimeoutOverrides[0].timeout',
  ]);
  assert.equal(got[2][1], 'kubeNodePortRanges lists 8 ranges; at most 7 are allowed (iptables multiport takes 15 ports, two per range): merge ranges');
  assert.equal(got[4][1], 'externalNodesList entry "fd00::/64" is IPv6; the list takes IPv4 CIDRs only');
  assert.equal(got[9][1], 'routeTableRange 1-300 is not valid: use a range of route table indices within 1..250, min at most max');
});

test('KubeControllersConfiguration: log level (case-sensitive) and default host endpoints', () => {
  const kcc = (spec: Record<string, unknown>): ManifestObject => ({ apiVersion: 'projectcalico.org/v3', kind: 'KubeControllersConfiguration', metadata: { name: 'default' }, spec });
  assert.deepEqual(errs(kcc({ logSeverityScreen: 'Info', controllers: { node: { hostEndpoint: { autoCreate: 'Enabled' } } } }), 'v3.24.5'), []);
  assert.deepEqual(errs(kcc({ logSeverityScreen: 'warning', controllers: {} }), 'v3.24.5'), [['spec.logSeverityScreen', 'logSeverityScreen "warning" is not a level Calico\'s validator accepts (case-sensitive): use "Trace", "Debug", "Info", "Warning", "Error" or "Fatal", here "Warning"']]);
});
