import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdk8s';
import {
  BgpPasswordAccess, CalicoBgpConfiguration, CalicoBgpPeer, CalicoCrds, Calicoctl, CalicoInstallation, CalicoTorChart, TigeraOperator,
} from '../../src';

type Make = (props: any) => unknown;
const inChart = (make: (chart: any, props: any) => unknown): Make => (props) => make(Testing.chart(), props);

/** Every construct with a minimal valid props object, so one prop at a time can be made wrong. */
const CONSTRUCTS: Array<{ name: string; make: Make; valid: Record<string, unknown>; list: string; stringProp: string }> = [
  { name: 'CalicoTorChart "t"', make: (p) => new CalicoTorChart(Testing.app(), 't', p), valid: {}, list: 'torPeers', stringProp: 'registry' },
  { name: 'CalicoBgpPeer', make: inChart((c, p) => new CalicoBgpPeer(c, 'p', p)), valid: { name: 'tor', peerIp: '10.0.0.1', asNumber: 65000 }, list: 'filters', stringProp: 'nodeSelector' },
  { name: 'CalicoBgpConfiguration', make: inChart((c, p) => new CalicoBgpConfiguration(c, 'b', p)), valid: {}, list: 'serviceClusterIps', stringProp: 'logSeverity' },
  { name: 'CalicoInstallation', make: inChart((c, p) => new CalicoInstallation(c, 'i', p)), valid: {}, list: 'podIpPools', stringProp: 'registry' },
  { name: 'TigeraOperator', make: inChart((c, p) => new TigeraOperator(c, 'o', p)), valid: {}, list: 'tolerations', stringProp: 'registry' },
  { name: 'Calicoctl', make: inChart((c, p) => new Calicoctl(c, 'c', p)), valid: {}, list: 'imagePullSecrets', stringProp: 'namespace' },
  { name: 'CalicoCrds', make: inChart((c, p) => new CalicoCrds(c, 'd', p)), valid: {}, list: '', stringProp: 'set' },
  { name: 'BgpPasswordAccess', make: inChart((c, p) => new BgpPasswordAccess(c, 'a', p)), valid: { secretNames: ['s'] }, list: 'secretNames', stringProp: 'namespace' },
];

/** The error must be an Error (not a TypeError) naming the construct and the prop. */
function assertPropError(fn: () => unknown, construct: string, prop: string, what: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error && !(e instanceof TypeError) && !(e instanceof RangeError), `${construct} ${prop}: ${(e as Error).name} ${(e as Error).message}`);
    // CalicoValidationError lines: `error <Kind>/<name or path> <prop>: <message>`.
    const kind = construct.split(' ')[0];
    const line = new RegExp(`^  error ${kind}/\\S* ${prop.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `, 'm');
    assert.ok(line.test(e.message), `expected "error ${kind}/... ${prop}: ..." got: ${e.message}`);
    assert.match(e.message, what);
    return true;
  });
}

describe('construct props with the wrong JavaScript type', () => {
  for (const c of CONSTRUCTS) {
    test(`${c.name}: null, a string for a list, [null], a number for a string`, () => {
      c.make(c.valid); // the valid props pass
      assertPropError(() => c.make(null), c.name, 'props', /expected an object of props, got null/);
      if (Object.keys(c.valid).length > 0) assertPropError(() => c.make(undefined), c.name, 'props', /are required: give an object with \w+/);
      else c.make(undefined);
      assertPropError(() => c.make('x'), c.name, 'props', /expected an object of props, got "x"/);
      assertPropError(() => c.make({ ...c.valid, [c.stringProp]: null }), c.name, c.stringProp, /is null: leave it out for the default, or give a string/);
      assertPropError(() => c.make({ ...c.valid, [c.stringProp]: 42 }), c.name, c.stringProp, /expected a string, got the number 42/);
      if (c.list) {
        assertPropError(() => c.make({ ...c.valid, [c.list]: 'abc' }), c.name, c.list, /expected a list \(array\) of \w+s, got the string "abc"/);
        assertPropError(() => c.make({ ...c.valid, [c.list]: [null] }), c.name, `${c.list}[0]`, /is null: a list item must be an? \w+; remove the empty item/);
      }
    });
  }

  test('nested props are named by their path', () => {
    const chart = (p: any) => new CalicoTorChart(Testing.app(), 't', p);
    const C = 'CalicoTorChart "t"';
    assertPropError(() => chart({ torPeers: [{ name: 'a', peerIp: '10.0.0.1', asNumber: '65000' }] }), C, 'torPeers[0].asNumber', /expected a number, got the string "65000"/);
    assertPropError(() => chart({ torPeers: [{ peerIp: '10.0.0.1', asNumber: 65000 }] }), C, 'torPeers[0].name', /is required: give a string/);
    assertPropError(() => chart({ torPeers: [{ name: 'a', peerIp: '10.0.0.1', asNumber: 65000, password: 'hunter2' }] }), C, 'torPeers[0].password',
      /expected an object, got the string "<redacted>"; e\.g\. \{ name: "bgp-passwords", key: "tor-a" \}/);
    assertPropError(() => chart({ podIpPools: [{ cidr: '10.0.0.0/16', blockSize: NaN }] }), C, 'podIpPools[0].blockSize', /expected a number, got the number NaN/);
    assertPropError(() => chart({ prefixAdvertisements: [{ cidr: '10.0.0.0/16', communities: 'a' }] }), C, 'prefixAdvertisements[0].communities', /got the string "a"; for one item write \["a"\]/);
    assertPropError(() => chart({ calicoctl: 'yes' }), C, 'calicoctl', /expected true, false or an object, got the string "yes"/);
    assertPropError(() => chart({ calicoctl: { tolerations: [null] } }), C, 'calicoctl.tolerations[0]', /is null/);
    assertPropError(() => chart({ operator: { nodeSelector: { a: 1 } } }), C, 'operator.nodeSelector["a"]', /expected a string label value, got the number 1/);
  });

  test('reproducers: nodeAddressAutodetectionV4 "eth0", chart namespace "Bad NS", a registry with a newline are errors', () => {
    const C = 'CalicoTorChart "t"';
    assertPropError(() => new CalicoTorChart(Testing.app(), 't', { nodeAddressAutodetectionV4: 'eth0' as any }), C, 'nodeAddressAutodetectionV4',
      /expected an object, got the string "eth0"; e\.g\. \{ interface: "eth0" \}/);
    assertPropError(() => new CalicoTorChart(Testing.app(), 't', { namespace: 'Bad NS' }), C, 'namespace', /"Bad NS" is not a valid name: .*\(DNS-1123 label\)/);
    assertPropError(() => new CalicoTorChart(Testing.app(), 't', { registry: 'registry.example.com\nevil' }), 'CalicoInstallation', 'registry',
      /"registry\.example\.com\\nevil" is not a registry host/);
    // The error text itself stays on one line.
    assert.throws(() => new CalicoTorChart(Testing.app(), 't', { registry: 'r.example.com\n\u001b[31m' }),
      (e: any) => e.violations.length === 1 && !/[\n\u001b]/.test(e.violations[0].message) && !/\u001b/.test(e.message));
    // What is right still passes: the Installation's registry may end in '/'.
    new CalicoTorChart(Testing.app(), 't', { registry: 'registry.example.com/', namespace: 'calico-system' });
  });

  test('reproducer: a selector of 3,000 "(" in a construct is an error naming the prop, with the value cut', () => {
    const C = 'CalicoTorChart "t"';
    assertPropError(() => new CalicoTorChart(Testing.app(), 't', { podIpPools: [{ cidr: '10.0.0.0/16', nodeSelector: '('.repeat(3000) }] }),
      'CalicoInstallation', 'podIpPools[0].nodeSelector', /parentheses nested more than 100 levels deep/);
    assert.throws(() => new CalicoTorChart(Testing.app(), 't', { torPeers: [{ name: 'a', peerIp: '10.0.0.1', asNumber: 65000, nodeSelector: '('.repeat(3000) }] }),
      (e: any) => /^  error CalicoBgpPeer\/a nodeSelector: selector "\(\(\(/m.test(e.message) && e.message.length < 700 && /nested more than 100/.test(e.message));
    void C;
  });
});
