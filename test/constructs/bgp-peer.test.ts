import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Chart, Testing } from 'cdk8s';
import { CALICO_VERSION_CONTEXT, CalicoBgpPeer, CalicoBgpPeerProps, CalicoTorChart } from '../../src';

/** The BGPPeer a CalicoBgpPeer writes, in a plain chart. */
function peer(props: CalicoBgpPeerProps): any {
  const chart = new Chart(Testing.app(), 'c');
  new CalicoBgpPeer(chart, props.name, props);
  const objs = Testing.synth(chart);
  assert.equal(objs.length, 1);
  return objs[0];
}

describe('CalicoBgpPeer', () => {
  test('every new field is written under its Calico name (v3.32.1)', () => {
    const obj = peer({
      name: 'tor-a', peerIp: '10.1.0.1', asNumber: 65100, nodeSelector: 'rack == "a"', calicoVersion: 'v3.32.1',
      localAsNumber: 64999, numAllowedLocalAsNumbers: 1, ttlSecurity: 1, reachableBy: '10.1.0.254', keepaliveTime: '20s',
    });
    assert.deepEqual(obj, {
      apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'tor-a' },
      spec: {
        asNumber: 65100, keepaliveTime: '20s', localASNumber: 64999, nodeSelector: 'rack == "a"', numAllowedLocalASNumbers: 1,
        peerIP: '10.1.0.1', reachableBy: '10.1.0.254', ttlSecurity: 1,
      },
    });
  });

  test('a node-to-node peer: peerSelector and reversePeering, no AS', () => {
    const obj = peer({ name: 'to-rr', nodeSelector: '!has(rr)', peerSelector: 'has(rr)', reversePeering: 'Manual', calicoVersion: 'v3.31.7' });
    assert.deepEqual(obj.spec, { nodeSelector: '!has(rr)', peerSelector: 'has(rr)', reversePeering: 'Manual' });
  });

  test('a field the release lacks is refused, naming the releases that have it', () => {
    // The error names the construct, the peer and the prop (`CalicoBgpPeer "p": ttlSecurity:`, or
    // in the validation format `CalicoBgpPeer/p ttlSecurity:`).
    assert.throws(() => peer({ name: 'p', peerIp: '10.1.0.1', asNumber: 65100, calicoVersion: 'v3.24.5', ttlSecurity: 1 }), /CalicoBgpPeer(?: "p":|\/p) ttlSecurity: /);
    assert.throws(() => peer({ name: 'p', peerIp: '10.1.0.1', asNumber: 65100, calicoVersion: 'v3.24.5', ttlSecurity: 1 }),
      /ttlSecurity: Calico v3\.24\.5's BGPPeer has no ttlSecurity field \(the API server would drop it; it exists in v3\.31\.7, v3\.32\.1\): remove ttlSecurity, or select a release that has it with calicoVersion/);
    assert.throws(() => peer({ name: 'p', peerIp: '10.1.0.1', asNumber: 65100, calicoVersion: 'v3.31.7', keepaliveTime: '10s' }),
      /keepaliveTime: Calico v3\.31\.7's BGPPeer has no keepaliveTime field \(the API server would drop it; it exists in v3\.32\.1\)/);
    for (const [prop, value] of [['localAsNumber', 65000], ['reachableBy', '10.1.0.254'], ['nextHopMode', 'Keep'], ['filters', ['f']]] as const) {
      assert.throws(() => peer({ name: 'p', peerIp: '10.1.0.1', asNumber: 65100, calicoVersion: 'v3.24.5', [prop]: value }),
        new RegExp(`${prop}: Calico v3\\.24\\.5's BGPPeer has no \\w+ field .*it exists in v3\\.31\\.7, v3\\.32\\.1`), prop);
    }
    assert.throws(() => peer({ name: 'p', peerSelector: 'has(rr)', calicoVersion: 'v3.24.5', reversePeering: 'Auto' }), /reversePeering: Calico v3\.24\.5's BGPPeer has no reversePeering field/);
    // v3.24.5 has peerSelector and numAllowedLocalASNumbers.
    assert.deepEqual(peer({ name: 'p', peerSelector: 'has(rr)', numAllowedLocalAsNumbers: 2, calicoVersion: 'v3.24.5' }).spec,
      { numAllowedLocalASNumbers: 2, peerSelector: 'has(rr)' });
  });

  test('the release comes from the enclosing CalicoTorChart, or from the context of a user\'s chart', () => {
    assert.throws(() => new CalicoTorChart(Testing.app(), 'x', {
      calicoVersion: 'v3.24.5', torPeers: [{ name: 'tor', peerIp: '10.1.0.1', asNumber: 65100, ttlSecurity: 1 }],
    }), /ttlSecurity: Calico v3\.24\.5's BGPPeer has no ttlSecurity field/);
    const chart = new Chart(Testing.app(), 'mine');
    chart.node.setContext(CALICO_VERSION_CONTEXT, 'v3.31.7');
    assert.throws(() => new CalicoBgpPeer(chart, 'p', { name: 'p', peerIp: '10.1.0.1', asNumber: 65100, keepaliveTime: '5s' }), /Calico v3\.31\.7's BGPPeer has no keepaliveTime/);
    // No context: the newest release.
    const p = new CalicoBgpPeer(new Chart(Testing.app(), 'n'), 'p', { name: 'p', peerIp: '10.1.0.1', asNumber: 65100, keepaliveTime: '5s' });
    assert.equal(p.calicoVersion, 'v3.32.1');
  });

  test('peerIp or peerSelector, with the AS rules Calico has', () => {
    assert.throws(() => peer({ name: 'p' }), /peerIp: a BGPPeer needs peerIp \(a router outside the cluster\) or peerSelector/);
    assert.throws(() => peer({ name: 'p', peerIp: '10.1.0.1', peerSelector: 'has(rr)', asNumber: 1 }), /peerIp: peerIP \("10\.1\.0\.1"\) and peerSelector \("has\(rr\)"\) cannot both be set: use peerIP for a router outside the cluster, or peerSelector to peer with Calico nodes/);
    assert.throws(() => peer({ name: 'p', peerIp: '10.1.0.1' }), /asNumber: the AS number of the router at "10\.1\.0\.1" is required with peerIp/);
    assert.throws(() => peer({ name: 'p', peerSelector: 'has(rr)', asNumber: 65000 }), /asNumber: asNumber \(65000\) must be empty when peerSelector is set: the AS number of a selected Calico node comes from that node/);
    assert.throws(() => peer({ name: 'p', peerSelector: 'has(rr', asNumber: undefined }), /peerSelector: selector "has\(rr" is not valid/);
    assert.throws(() => peer({ name: 'p', peerSelector: 'has(rr)', reachableBy: '10.0.0.1' }), /reachableBy: reachableBy must be empty when peerIP is empty: it is the gateway towards peerIP/);
  });

  test('bad values are refused with what is allowed', () => {
    const base = { name: 'p', peerIp: '10.1.0.1', asNumber: 65100 };
    assert.throws(() => peer({ ...base, ttlSecurity: 256 }), /ttlSecurity: ttlSecurity 256 is out of range: it is a hop count from 0 to 255 \(1 for a directly connected router\)/);
    assert.throws(() => peer({ ...base, numAllowedLocalAsNumbers: -1 }), /numAllowedLocalAsNumbers: -1 is not allowed/);
    assert.throws(() => peer({ ...base, localAsNumber: 4294967296 }), /localAsNumber: /);
    assert.throws(() => peer({ ...base, reachableBy: 'fd00::1' }), /reachableBy: reachableBy "fd00::1" is IPv6 but peerIP "10\.1\.0\.1" is IPv4: use a gateway of the same family/);
    assert.throws(() => peer({ ...base, reachableBy: 'gateway' }), /reachableBy: reachableBy: .*it is the address of the gateway the peer is reached through/);
    assert.throws(() => peer({ ...base, keepaliveTime: '20' }), /keepaliveTime: /);
    assert.throws(() => peer({ ...base, peerSelector: undefined, reversePeering: 'Sometimes' as any }), /reversePeering: "Sometimes" is not allowed: use "Auto" or "Manual"/);
  });
});
