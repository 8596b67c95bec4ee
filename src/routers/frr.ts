/**
 * FRR (`frr.conf`) for one router: prefix lists and community lists for the import policy,
 * route-maps for both directions, and the `router bgp` block with one neighbor per node (or a
 * listen range), in the syntax of FRR 8.x (Debian 12's `frr` package, SONiC, VyOS 1.4, OpenWrt).
 */
import { PlanAcceptedPrefix } from '../plan/types';
import { communityParts, headerLines, HopPolicy, ResolvedRouter, SessionSettings } from './model';

const GROUP = 'CALICO-NODES';
const UPLINKS = 'CALICO-UPLINKS';

/** Renders the FRR configuration of a resolved router. */
export function renderFrr(r: ResolvedRouter): string {
  const v = r.family === 4 ? 'ip' : 'ipv6';
  const afi = r.family === 4 ? 'ipv4' : 'ipv6';
  const defaultPrefix = r.family === 4 ? '0.0.0.0/0' : '::/0';
  const out: string[] = [];
  const comment = (s: string) => out.push(s === '' ? '!' : `! ${s}`);
  for (const line of headerLines(r, 'FRR')) comment(line);
  if (r.port !== 179) comment(`bgpd must listen on port ${r.port}: set bgpd_options="-A 127.0.0.1 -p ${r.port}" in /etc/frr/daemons.`);
  if ((r.range ? [r.range.settings] : r.neighbors.map((n) => n.settings)).some((s) => s.bfd)) {
    comment('BFD is on: run bfdd (bfdd=yes in /etc/frr/daemons).');
  }
  out.push('!');
  out.push('frr defaults traditional');
  out.push('!');

  // Import policy: exactly what the nodes may advertise (Calico's export filter accepts the
  // pools' blocks and addresses, and the advertised service ranges: bird_ipam.cfg.template).
  comment('What the nodes may advertise: pool blocks down to host routes, service ranges and their addresses.');
  let seq = 10;
  for (const a of r.accepts) {
    out.push(`${v} prefix-list CALICO-ACCEPT seq ${seq} permit ${prefixRange(a)}`);
    seq += 10;
  }
  if (r.accepts.length === 0) out.push(`${v} prefix-list CALICO-ACCEPT seq 10 deny any`);
  out.push(`${v} prefix-list CALICO-DEFAULT seq 10 permit ${defaultPrefix}`);
  out.push('!');

  if (r.matchCommunities) {
    r.acceptGroups.forEach((g, i) => {
      const n = i + 1;
      let s = 10;
      for (const a of g.prefixes) {
        out.push(`${v} prefix-list CALICO-ACCEPT-${n} seq ${s} permit ${prefixRange(a)}`);
        s += 10;
      }
      const std = g.communities.filter((c) => !communityParts(c).large);
      const large = g.communities.filter((c) => communityParts(c).large);
      if (std.length > 0) out.push(`bgp community-list standard CALICO-COMMUNITIES-${n} permit ${std.join(' ')}`);
      if (large.length > 0) out.push(`bgp large-community-list standard CALICO-LARGE-COMMUNITIES-${n} permit ${large.join(' ')}`);
    });
    out.push('!');
  }

  comment('Import from the nodes: the prefixes above, nothing else (no default route, no other cluster\'s pools).');
  comment('Next hop and communities are left as the nodes send them.');
  if (r.matchCommunities) {
    r.acceptGroups.forEach((g, i) => {
      const n = i + 1;
      out.push(`route-map CALICO-IMPORT permit ${n * 10}`);
      out.push(` match ${v} address prefix-list CALICO-ACCEPT-${n}`);
      if (g.communities.some((c) => !communityParts(c).large)) out.push(` match community CALICO-COMMUNITIES-${n}`);
      if (g.communities.some((c) => communityParts(c).large)) out.push(` match large-community CALICO-LARGE-COMMUNITIES-${n}`);
      out.push('exit');
    });
  } else {
    out.push('route-map CALICO-IMPORT permit 10');
    out.push(` match ${v} address prefix-list CALICO-ACCEPT`);
    out.push('exit');
  }
  out.push('route-map CALICO-IMPORT deny 1000');
  out.push('exit');
  out.push('!');

  comment(`Export to the nodes (${r.exportPolicy}).`);
  const exportsCluster = r.exportPolicy === 'cluster-routes' || r.exportPolicy === 'default-and-cluster-routes';
  const exportsDefault = r.exportPolicy === 'default-route' || r.exportPolicy === 'default-and-cluster-routes';
  if (exportsDefault) {
    out.push('route-map CALICO-EXPORT permit 10');
    out.push(` match ${v} address prefix-list CALICO-DEFAULT`);
    out.push('exit');
  }
  if (exportsCluster) {
    out.push('route-map CALICO-EXPORT permit 20');
    out.push(` match ${v} address prefix-list CALICO-ACCEPT`);
    out.push('exit');
  }
  out.push('route-map CALICO-EXPORT deny 1000');
  out.push('exit');
  out.push('!');

  if (r.uplinks.length > 0) {
    comment('Uplinks: the cluster\'s prefixes in both directions.');
    out.push('route-map CALICO-UPLINK-IMPORT permit 10');
    out.push(` match ${v} address prefix-list CALICO-ACCEPT`);
    out.push('exit');
    if (r.uplinks.some((u) => u.acceptDefaultRoute)) {
      out.push('route-map CALICO-UPLINK-IMPORT permit 20');
      out.push(` match ${v} address prefix-list CALICO-DEFAULT`);
      out.push('exit');
    }
    out.push('route-map CALICO-UPLINK-IMPORT deny 1000');
    out.push('exit');
    out.push('route-map CALICO-UPLINK-EXPORT permit 10');
    out.push(` match ${v} address prefix-list CALICO-ACCEPT`);
    out.push('exit');
    out.push('route-map CALICO-UPLINK-EXPORT deny 1000');
    out.push('exit');
    out.push('!');
  }

  out.push(`router bgp ${r.asNumber}`);
  out.push(` bgp router-id ${r.family === 4 ? r.address : routerIdFor(r)}`);
  out.push(' bgp log-neighbor-changes');
  out.push(' no bgp default ipv4-unicast');
  // Calico's BIRD advertises graceful restart (`graceful restart;` in bgp_template); the router
  // takes part so the nodes' routes survive a calico-node restart for their restart time.
  out.push(' bgp graceful-restart');
  out.push(` bgp graceful-restart restart-time ${restartTime(r)}`);
  if (r.multipathRelax) {
    comment(' The nodes have different ASes: ECMP across them needs multipath-relax.');
    out.push(' bgp bestpath as-path multipath-relax');
  }
  out.push(` neighbor ${GROUP} peer-group`);
  if (r.range) {
    out.push(` neighbor ${GROUP} remote-as ${r.range.asNumber}`);
    sessionLines(GROUP, r, r.range.settings).forEach((l) => out.push(l));
    out.push(` bgp listen range ${r.range.cidr} peer-group ${GROUP}`);
  } else {
    for (const n of r.neighbors) {
      out.push(` neighbor ${n.address} peer-group ${GROUP}`);
      out.push(` neighbor ${n.address} remote-as ${n.asNumber}`);
      out.push(` neighbor ${n.address} description calico node ${n.node}${n.rack !== null ? ` rack ${n.rack}` : ''}`);
      sessionLines(n.address, r, n.settings).forEach((l) => out.push(l));
      if (!n.settings.passive && n.nodePort !== 179) out.push(` neighbor ${n.address} port ${n.nodePort}`);
    }
  }
  if (r.uplinks.length > 0) {
    out.push(` neighbor ${UPLINKS} peer-group`);
    for (const u of r.uplinks) {
      out.push(` neighbor ${u.address} peer-group ${UPLINKS}`);
      out.push(` neighbor ${u.address} remote-as ${u.asNumber}`);
      out.push(` neighbor ${u.address} description ${u.description}`);
      if (u.multihop > 1 && u.asNumber !== r.asNumber) out.push(` neighbor ${u.address} ebgp-multihop ${u.multihop}`);
      if (u.password) out.push(` neighbor ${u.address} password \${${u.password.variable}}`);
    }
  }
  out.push(' !');
  out.push(` address-family ${afi} unicast`);
  out.push(`  neighbor ${GROUP} activate`);
  out.push(`  neighbor ${GROUP} route-map CALICO-IMPORT in`);
  out.push(`  neighbor ${GROUP} route-map CALICO-EXPORT out`);
  if (exportsDefault) out.push(`  neighbor ${GROUP} default-originate`);
  const internalNeighbors = r.range ? (r.range.settings.internal ? [GROUP] : []) : r.neighbors.filter((n) => n.settings.internal).map((n) => n.address);
  for (const n of internalNeighbors) {
    out.push(`  neighbor ${n} route-reflector-client`);
  }
  if (r.uplinks.length > 0) {
    out.push(`  neighbor ${UPLINKS} activate`);
    out.push(`  neighbor ${UPLINKS} route-map CALICO-UPLINK-IMPORT in`);
    out.push(`  neighbor ${UPLINKS} route-map CALICO-UPLINK-EXPORT out`);
    for (const u of r.uplinks) if (u.allowAsIn > 0) out.push(`  neighbor ${u.address} allowas-in ${u.allowAsIn}`);
  }
  out.push(`  maximum-paths ${r.maximumPaths}`);
  out.push(`  maximum-paths ibgp ${r.maximumPaths}`);
  out.push(' exit-address-family');
  out.push('exit');
  out.push('!');
  return `${out.join('\n')}\n`;
}

function restartTime(r: ResolvedRouter): number {
  const all = [...(r.range ? [r.range.settings] : r.neighbors.map((n) => n.settings))].map((s) => s.gracefulRestartSeconds);
  return all.length > 0 ? Math.max(...all) : 120;
}

function routerIdFor(r: ResolvedRouter): string {
  // An IPv6-only router still needs a 32-bit router id; FRR takes one from an interface when unset,
  // but a fixed one keeps the file deterministic: derive it from the low 32 bits of the address.
  const words = r.address.split(':');
  const last = parseInt(words[words.length - 1] || '0', 16) || 1;
  return `0.0.${(last >> 8) & 255}.${last & 255}`;
}

function sessionLines(peer: string, r: ResolvedRouter, s: SessionSettings): string[] {
  const lines: string[] = [];
  lines.push(` neighbor ${peer} update-source ${r.address}`);
  lines.push(...hopLines(peer, s.hops));
  if (s.passive) lines.push(` neighbor ${peer} passive`);
  lines.push(` neighbor ${peer} timers ${s.keepaliveSeconds} ${s.holdSeconds}`);
  // Calico's BIRD retries every 5 s (`connect retry time 5`); match it when the router connects.
  if (!s.passive) lines.push(` neighbor ${peer} timers connect 5`);
  if (s.password) lines.push(` neighbor ${peer} password \${${s.password.variable}}`);
  if (s.bfd) lines.push(` neighbor ${peer} bfd`);
  return lines;
}

function hopLines(peer: string, h: HopPolicy): string[] {
  switch (h.kind) {
    case 'multihop': return [` neighbor ${peer} ebgp-multihop ${h.ttl}`];
    case 'ttl-security': return [` neighbor ${peer} ttl-security hops ${h.hops}`];
    case 'direct': return [];
  }
}

/** `10.33.0.0/17 ge 24 le 32` for a prefix range. */
export function prefixRange(a: PlanAcceptedPrefix): string {
  const len = Number(a.cidr.split('/')[1]);
  const parts = [a.cidr];
  if (a.minLength > len) parts.push(`ge ${a.minLength}`);
  if (a.maxLength > len) parts.push(`le ${a.maxLength}`);
  return parts.join(' ');
}
