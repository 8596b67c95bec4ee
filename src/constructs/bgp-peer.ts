import { Construct } from 'constructs';
import { BgpPeer, BgpPeerSpecNextHopMode, BgpPeerSpecSourceAddress } from '../../imports/projectcalico.org';
import { PropChecker } from './prop-checks';
import { SecretKeyReference } from '../model/secret-reference';
import { BGP_PEER_FIELDS } from './prop-shapes';

/** How the next hop of routes sent to a peer is chosen (Calico v3.31+). */
export type BgpNextHopMode = 'Auto' | 'Self' | 'Keep';

/** A BGP router that the cluster's nodes peer with, e.g. a Top-of-Rack switch. */
export interface BgpPeerOptions {
  /** Object name (DNS-1123 subdomain), e.g. `tor-rack-a`. */
  readonly name: string;
  /**
   * Address of the router: IPv4 or IPv6, optionally with a port
   * (`10.31.254.253`, `10.31.254.253:1179`, `[fd00::1]:1179`).
   */
  readonly peerIp: string;
  /** AS number of the router (at most 2147483647: every supported release's CRD declares int32). */
  readonly asNumber: number;
  /**
   * Keep the original next hop when advertising routes to this (eBGP) peer, so pod-CIDR routes
   * point at the node that owns the block instead of ECMP over all nodes.
   * @default false
   */
  readonly keepOriginalNextHop?: boolean;
  /**
   * Next-hop handling (Calico v3.31+; do not combine with `keepOriginalNextHop`).
   * @default - Calico's default (`Auto`)
   */
  readonly nextHopMode?: BgpNextHopMode;
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
   * Source address of the session: `UseNodeIP` or `None`.
   * @default - Calico's default (`UseNodeIP`)
   */
  readonly sourceAddress?: 'UseNodeIP' | 'None';
  /**
   * Names of BGPFilter objects applied to this peering (Calico v3.26+).
   * @default - none
   */
  readonly filters?: readonly string[];
}

/** Props of {@link CalicoBgpPeer}. */
export interface CalicoBgpPeerProps extends BgpPeerOptions {}

/** A Calico BGPPeer (projectcalico.org/v3): the nodes (all, or a selection) peer with one router. */
export class CalicoBgpPeer extends Construct {
  /** The generated BGPPeer object. */
  public readonly resource: BgpPeer;
  /** Object name of the BGPPeer. */
  public readonly name: string;
  /** The Secret key holding the session password, if any (calico-node needs RBAC to read it). */
  public readonly password?: SecretKeyReference;

  constructor(scope: Construct, id: string, props: CalicoBgpPeerProps) {
    super(scope, id);
    const check = new PropChecker(`CalicoBgpPeer "${props?.name}"`, this);
    check.props(props, BGP_PEER_FIELDS);
    check.name('name', props.name);
    check.peerAddress('peerIp', props.peerIp);
    check.asNumber('asNumber', props.asNumber);
    check.selector('nodeSelector', props.nodeSelector);
    check.exclusive({ node: props.node, nodeSelector: props.nodeSelector });
    check.exclusive({ keepOriginalNextHop: props.keepOriginalNextHop || undefined, nextHopMode: props.nextHopMode });
    check.duration('maxRestartTime', props.maxRestartTime);
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
        keepOriginalNextHop: props.keepOriginalNextHop,
        nextHopMode: props.nextHopMode as BgpPeerSpecNextHopMode | undefined,
        asNumber: props.asNumber,
        nodeSelector: props.nodeSelector,
        node: props.node,
        password: props.password ? { secretKeyRef: { name: props.password.name, key: props.password.key } } : undefined,
        maxRestartTime: props.maxRestartTime,
        sourceAddress: props.sourceAddress as BgpPeerSpecSourceAddress | undefined,
        filters: props.filters ? [...props.filters] : undefined,
      },
    });
    check.done();
  }
}
