import { Construct } from 'constructs';
import { BgpPeer, BgpPeerSpecNextHopMode, BgpPeerSpecSourceAddress } from '../../imports/projectcalico.org';
import { PropChecker } from './prop-checks';
import { contextCalicoVersion } from './release-context';
import { SecretKeyReference } from '../model/secret-reference';
import { BGP_PEER_FIELDS } from './prop-shapes';
import { checkBgpPeerTarget } from '../model/calico-rules';
import { bgpPeerHasField, releasesWithBgpPeerField } from '../releases/bgp-peer-fields';
import { CalicoVersion, DEFAULT_CALICO_VERSION } from '../releases/releases';
import { CalicoReleaseProps } from '../releases/resolve-release';

/** How the next hop of routes sent to a peer is chosen (Calico v3.31+). */
export type BgpNextHopMode = 'Auto' | 'Self' | 'Keep';

/**
 * Whether Calico adds the reverse of a node-to-node peering by itself (`Auto`: the nodes selected
 * by `peerSelector` also peer back with the nodes of `nodeSelector`) or leaves it to another
 * BGPPeer (`Manual`). Calico v3.31+.
 */
export type BgpReversePeering = 'Auto' | 'Manual';

/**
 * The session settings of a BGPPeer, without saying which nodes peer with whom: shared by
 * {@link BgpPeerOptions} and the topologies (which choose the node and peer selectors).
 */
export interface BgpSessionOptions {
  /**
   * Keep the original next hop when advertising routes to this (eBGP) peer, so pod-CIDR routes
   * point at the node that owns the block instead of ECMP over all nodes. Calico applies it on
   * eBGP sessions only.
   * @default false
   */
  readonly keepOriginalNextHop?: boolean;
  /**
   * Next-hop handling (Calico v3.31+; do not combine with `keepOriginalNextHop`).
   * @default - Calico's default (`Auto`)
   */
  readonly nextHopMode?: BgpNextHopMode;
  /**
   * BGP session password, read by calico-node from a Secret in its own namespace
   * (`calico-system` under the operator).
   * @default - no password
   */
  readonly password?: SecretKeyReference;
  /**
   * Graceful-restart time (Go duration, e.g. `120s`).
   * @default - BIRD's default (120s)
   */
  readonly maxRestartTime?: string;
  /**
   * BGP keepalive time (Go duration, e.g. `20s`). Calico v3.32+.
   * @default - BIRD's default (a third of the hold time: 80s)
   */
  readonly keepaliveTime?: string;
  /**
   * Source address of the session: `UseNodeIP` or `None`.
   * @default - Calico's default (`UseNodeIP`)
   */
  readonly sourceAddress?: 'UseNodeIP' | 'None';
  /**
   * Names of BGPFilter objects applied to this peering (Calico v3.26+; of the supported releases,
   * v3.31.7 and later).
   * @default - none
   */
  readonly filters?: readonly string[];
  /**
   * AS number the nodes use on these sessions instead of their own (BIRD `local as`). Calico v3.31+.
   * @default - the node's AS number
   */
  readonly localAsNumber?: number;
  /**
   * How many times the nodes' own AS may appear in the AS path of routes received on these
   * sessions (BIRD `allow local as N`). It switches off BGP loop prevention that far: use it when
   * nodes of several racks share one AS and must accept each other's routes.
   * @default - none (loop prevention as BGP defines it)
   */
  readonly numAllowedLocalAsNumbers?: number;
  /**
   * Generalized TTL security (GTSM): the number of hops to the peer, 1 for a directly connected
   * router; packets that arrive with a lower TTL are dropped. 0-255. Calico v3.31+.
   * @default - TTL security off
   */
  readonly ttlSecurity?: number;
  /**
   * Address of the gateway the peer is reached through; Calico adds a static route to the peer
   * via it (prevents route flapping when the peer's address is learned over BGP). Only with
   * `peerIp`, same IP family. Calico v3.31+.
   * @default - no static route
   */
  readonly reachableBy?: string;
}

/**
 * A BGPPeer: which nodes (all, a selection or one) peer with a router outside the cluster
 * (`peerIp`) or with other Calico nodes (`peerSelector`), and the session settings.
 */
export interface BgpPeerOptions extends BgpSessionOptions {
  /** Object name (DNS-1123 subdomain), e.g. `tor-rack-a`. It is also the construct id. */
  readonly name: string;
  /**
   * Address of the router: IPv4 or IPv6, optionally with a port
   * (`10.31.254.253`, `10.31.254.253:1179`, `[fd00::1]:1179`). Exactly one of `peerIp` and
   * `peerSelector` is set.
   * @default - none (then `peerSelector` is required)
   */
  readonly peerIp?: string;
  /**
   * AS number of the router (at most 2147483647: every supported release's CRD declares int32).
   * Required with `peerIp`; must be left out with `peerSelector` (a selected node's AS is its own).
   * @default - none (only with `peerSelector`)
   */
  readonly asNumber?: number;
  /**
   * Calico selector of the Calico nodes to peer with (node-to-node peering, e.g. with route
   * reflectors: `route-reflector == "true"`). Exactly one of `peerIp` and `peerSelector` is set.
   * @default - none (then `peerIp` is required)
   */
  readonly peerSelector?: string;
  /**
   * With `peerSelector`: whether the selected nodes peer back by themselves (`Auto`) or need a
   * BGPPeer of their own (`Manual`). Calico v3.31+.
   * @default - Calico's default (`Auto`)
   */
  readonly reversePeering?: BgpReversePeering;
  /**
   * Calico selector of the nodes that peer with this router, e.g. `rack == "a"`.
   * @default - every node peers with it (a global peer)
   */
  readonly nodeSelector?: string;
  /**
   * Name of the single node that peers with this router (instead of `nodeSelector`).
   * @default - see nodeSelector
   */
  readonly node?: string;
}

/** Props of {@link CalicoBgpPeer}. */
export interface CalicoBgpPeerProps extends BgpPeerOptions, CalicoReleaseProps {}

const INT32_MAX = 2147483647;

/** BGPPeer spec field -> our prop, for the shared rules' reports. */
const PROP_OF_FIELD: Readonly<Record<string, string>> = { peerIP: 'peerIp', asNumber: 'asNumber', reachableBy: 'reachableBy', ttlSecurity: 'ttlSecurity', peerSelector: 'peerSelector' };

/** Our prop name -> the BGPPeer spec field it writes, for the per-release check. */
const FIELD_OF_PROP: ReadonlyArray<readonly [keyof BgpPeerOptions, string]> = [
  ['peerIp', 'peerIP'], ['asNumber', 'asNumber'], ['peerSelector', 'peerSelector'], ['reversePeering', 'reversePeering'],
  ['nodeSelector', 'nodeSelector'], ['node', 'node'], ['keepOriginalNextHop', 'keepOriginalNextHop'],
  ['nextHopMode', 'nextHopMode'], ['password', 'password'], ['maxRestartTime', 'maxRestartTime'],
  ['keepaliveTime', 'keepaliveTime'], ['sourceAddress', 'sourceAddress'], ['filters', 'filters'],
  ['localAsNumber', 'localASNumber'], ['numAllowedLocalAsNumbers', 'numAllowedLocalASNumbers'],
  ['ttlSecurity', 'ttlSecurity'], ['reachableBy', 'reachableBy'],
];

/** A Calico BGPPeer (projectcalico.org/v3): the nodes (all, or a selection) peer with one router or with other nodes. */
export class CalicoBgpPeer extends Construct {
  /** The generated BGPPeer object. */
  public readonly resource: BgpPeer;
  /** Object name of the BGPPeer. */
  public readonly name: string;
  /** The Secret key holding the session password, if any (calico-node needs RBAC to read it). */
  public readonly password?: SecretKeyReference;
  /**
   * The release the peer was checked against: `calicoVersion` if given, else the release of the
   * enclosing CalicoTorChart (the `cdk8s-calico:calicoVersion` context), else DEFAULT_CALICO_VERSION.
   */
  public readonly calicoVersion: CalicoVersion;

  constructor(scope: Construct, id: string, props: CalicoBgpPeerProps) {
    super(scope, id);
    const check = new PropChecker(`CalicoBgpPeer "${props?.name}"`, this);
    check.props(props, BGP_PEER_FIELDS);
    const { version } = check.release({ calicoVersion: props.calicoVersion ?? contextCalicoVersion(scope) ?? DEFAULT_CALICO_VERSION });
    this.calicoVersion = version;
    check.name('name', props.name);
    for (const [prop, field] of FIELD_OF_PROP) {
      if (props[prop] === undefined || bgpPeerHasField(version, field)) continue;
      const releases = releasesWithBgpPeerField(field);
      check.fail(prop, `Calico ${version}'s BGPPeer has no ${field} field (the API server would drop it; ${releases.length > 0 ? `it exists in ${releases.join(', ')}` : 'no supported release has it'}): remove ${prop}, or select a release that has it with calicoVersion`);
    }
    if (props.peerIp === undefined && props.peerSelector === undefined) {
      check.fail('peerIp', 'a BGPPeer needs peerIp (a router outside the cluster) or peerSelector (Calico nodes to peer with); set one');
    }
    if (props.peerIp !== undefined) check.peerAddress('peerIp', props.peerIp);
    check.selector('peerSelector', props.peerSelector);
    check.asNumber('asNumber', props.asNumber);
    check.asNumber('localAsNumber', props.localAsNumber);
    check.integer('numAllowedLocalAsNumbers', props.numAllowedLocalAsNumbers, 0, INT32_MAX, '(a count of AS-path entries)');
    // Calico's own rules (peerIP or peerSelector, no asNumber with peerSelector, reachableBy, ttlSecurity).
    checkBgpPeerTarget(
      { peerIP: props.peerIp, peerSelector: props.peerSelector, asNumber: props.asNumber, reachableBy: props.reachableBy, ttlSecurity: props.ttlSecurity },
      (field, message) => check.fail(PROP_OF_FIELD[field] ?? field, message),
    );
    if (props.peerIp !== undefined && props.asNumber === undefined) {
      check.fail('asNumber', `the AS number of the router at ${JSON.stringify(props.peerIp)} is required with peerIp`);
    }
    if (props.reversePeering !== undefined && props.reversePeering !== 'Auto' && props.reversePeering !== 'Manual') {
      check.fail('reversePeering', `${JSON.stringify(props.reversePeering)} is not allowed: use "Auto" or "Manual"`);
    }
    check.selector('nodeSelector', props.nodeSelector);
    check.exclusive({ node: props.node, nodeSelector: props.nodeSelector });
    check.exclusive({ keepOriginalNextHop: props.keepOriginalNextHop || undefined, nextHopMode: props.nextHopMode });
    check.duration('maxRestartTime', props.maxRestartTime);
    check.duration('keepaliveTime', props.keepaliveTime);
    if (props.password) {
      check.name('password.name', props.password.name);
      if (!props.password.key) check.fail('password.key', 'the key inside the Secret is required');
    }
    this.name = props.name;
    this.password = props.password;
    this.resource = new BgpPeer(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        peerIp: props.peerIp,
        peerSelector: props.peerSelector,
        reversePeering: props.reversePeering,
        keepOriginalNextHop: props.keepOriginalNextHop,
        nextHopMode: props.nextHopMode as BgpPeerSpecNextHopMode | undefined,
        asNumber: props.asNumber,
        localAsNumber: props.localAsNumber,
        nodeSelector: props.nodeSelector,
        node: props.node,
        password: props.password ? { secretKeyRef: { name: props.password.name, key: props.password.key } } : undefined,
        maxRestartTime: props.maxRestartTime,
        keepaliveTime: props.keepaliveTime,
        numAllowedLocalAsNumbers: props.numAllowedLocalAsNumbers,
        ttlSecurity: props.ttlSecurity,
        reachableBy: props.reachableBy,
        sourceAddress: props.sourceAddress as BgpPeerSpecSourceAddress | undefined,
        filters: props.filters ? [...props.filters] : undefined,
      },
    });
    check.done();
  }
}
