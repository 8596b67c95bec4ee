/**
 * BIRD 2 (`bird.conf`) for one router: a complete configuration (router id, device, direct and
 * kernel protocols, filters, one `protocol bgp` per node or a dynamic neighbor range), in the
 * syntax of BIRD 2.0 (Debian 12's `bird2` package, OpenWrt's `bird2`).
 */
import { communityParts, headerLines, HopPolicy, ResolvedRouter, SessionSettings } from './model';
import { PlanAcceptedPrefix } from '../plan/types';

/** Renders the BIRD 2 configuration of a resolved router. */
export function renderBird2(r: ResolvedRouter): string {
  const ch = r.family === 4 ? 'ipv4' : 'ipv6';
  const defaultPrefix = r.family === 4 ? '0.0.0.0/0' : '::/0';
  const out: string[] = [];
  for (const line of headerLines(r, 'BIRD 2')) out.push(line === '' ? '#' : `# ${line}`);
  if (r.port !== 179) out.push(`# The nodes connect to port ${r.port}: every protocol below listens there (\`local ... port ${r.port}\`).`);
  out.push('');
  out.push(`router id ${r.family === 4 ? r.address : routerIdFor(r.address)};`);
  out.push('');
  out.push('protocol device {');
  out.push('  scan time 10;');
  out.push('}');
  out.push('');
  out.push('# Connected networks: the nodes\' next hops resolve through them (multihop sessions use recursive');
  out.push('# gateways). Never exported to the kernel or to a BGP neighbor.');
  out.push('protocol direct calico_direct {');
  out.push(`  ${ch};`);
  out.push('  interface "*";');
  out.push('}');
  out.push('');
  out.push('# Install the routes learned over BGP (pod blocks with their node as next hop, service ranges');
  out.push(`# over every node: ECMP up to ${r.maximumPaths} paths).`);
  out.push('protocol kernel calico_kernel {');
  out.push(`  ${ch} {`);
  out.push('    import none;');
  out.push('    export filter { if source = RTS_BGP then accept; reject; };');
  out.push('  };');
  out.push(`  merge paths on limit ${r.maximumPaths};`);
  out.push('}');
  out.push('');
  const anyBfd = (r.range ? [r.range.settings] : r.neighbors.map((n) => n.settings)).some((s) => s.bfd);
  if (anyBfd) {
    out.push('# BFD for the node sessions (calico-node runs BIRD\'s BFD too when its BGPPeer asks for it).');
    out.push('protocol bfd calico_bfd {');
    out.push('  interface "*";');
    out.push('  multihop;');
    out.push('}');
    out.push('');
  }

  out.push('# What the nodes may advertise: pool blocks down to host routes, service ranges and their addresses.');
  out.push(`define CALICO_ACCEPT = ${prefixSet(r.accepts, r.family)};`);
  out.push('');
  out.push('# Import from the nodes: the prefixes above, nothing else (no default route, no other cluster\'s');
  out.push('# pools). Next hop and communities are left as the nodes send them.');
  out.push('filter calico_import {');
  if (r.matchCommunities) {
    for (const g of r.acceptGroups) {
      const conds = [`net ~ ${prefixSet(g.prefixes, r.family)}`, ...g.communities.map((c) => {
        const { large, parts } = communityParts(c);
        return `(${parts.join(', ')}) ~ ${large ? 'bgp_large_community' : 'bgp_community'}`;
      })];
      out.push(`  if ${conds.join(' && ')} then accept;`);
    }
  } else {
    out.push('  if net ~ CALICO_ACCEPT then accept;');
  }
  out.push('  reject;');
  out.push('}');
  out.push('');
  const exportsCluster = r.exportPolicy === 'cluster-routes' || r.exportPolicy === 'default-and-cluster-routes';
  const exportsDefault = r.exportPolicy === 'default-route' || r.exportPolicy === 'default-and-cluster-routes';
  if (exportsDefault) {
    out.push('# The default route the router originates towards the nodes. It lives only in BIRD\'s table');
    out.push('# (calico_kernel exports BGP routes only), so the router forwards by its own default route.');
    out.push('protocol static calico_default {');
    out.push(`  ${ch};`);
    out.push(`  route ${defaultPrefix} unreachable;`);
    out.push('}');
    out.push('');
  }
  out.push(`# Export to the nodes (${r.exportPolicy}).`);
  out.push('filter calico_export {');
  if (exportsDefault) out.push(`  if proto = "calico_default" && net = ${defaultPrefix} then accept;`);
  if (exportsCluster) out.push('  if source = RTS_BGP && net ~ CALICO_ACCEPT then accept;');
  out.push('  reject;');
  out.push('}');
  out.push('');
  if (r.uplinks.length > 0) {
    out.push('# Uplinks: the cluster\'s prefixes in both directions.');
    out.push('filter calico_uplink_import {');
    out.push('  if net ~ CALICO_ACCEPT then accept;');
    if (r.uplinks.some((u) => u.acceptDefaultRoute)) out.push(`  if net = ${defaultPrefix} then accept;`);
    out.push('  reject;');
    out.push('}');
    out.push('filter calico_uplink_export {');
    out.push('  if source = RTS_BGP && net ~ CALICO_ACCEPT then accept;');
    out.push('  reject;');
    out.push('}');
    out.push('');
  }

  const local = `local ${r.address}${r.port !== 179 ? ` port ${r.port}` : ''} as ${r.asNumber};`;
  out.push('template bgp calico_node {');
  out.push(`  ${local}`);
  out.push(`  ${ch} {`);
  out.push('    import filter calico_import;');
  out.push('    export filter calico_export;');
  out.push('  };');
  out.push('}');
  out.push('');
  if (r.range) {
    out.push(`protocol bgp calico_nodes from calico_node {`);
    out.push(`  description "calico nodes in ${r.range.cidr}";`);
    out.push(`  neighbor range ${r.range.cidr} ${r.range.asNumber === 'external' ? 'external' : `as ${r.range.asNumber}`};`);
    out.push('  dynamic name "calico_node_";');
    sessionLines(r.range.settings).forEach((l) => out.push(l));
    out.push('}');
    out.push('');
  }
  for (const n of r.neighbors) {
    out.push(`protocol bgp ${protocolName('calico', n.address)} from calico_node {`);
    out.push(`  description "calico node ${escapeBird(n.node)}${n.rack !== null ? ` rack ${escapeBird(n.rack)}` : ''}";`);
    out.push(`  neighbor ${n.address}${!n.settings.passive && n.nodePort !== 179 ? ` port ${n.nodePort}` : ''} as ${n.asNumber};`);
    sessionLines(n.settings).forEach((l) => out.push(l));
    out.push('}');
    out.push('');
  }
  for (const u of r.uplinks) {
    out.push(`protocol bgp ${protocolName('calico_uplink', u.address)} {`);
    out.push(`  description "${escapeBird(u.description)}";`);
    out.push(`  ${local}`);
    out.push(`  neighbor ${u.address} as ${u.asNumber};`);
    if (u.multihop > 1) out.push(`  multihop ${u.multihop};`);
    if (u.allowAsIn > 0) out.push(`  allow local as ${u.allowAsIn};`);
    if (u.password) out.push(`  password "\${${u.password.variable}}";`);
    out.push(`  ${ch} {`);
    out.push('    import filter calico_uplink_import;');
    out.push('    export filter calico_uplink_export;');
    out.push('  };');
    out.push('}');
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function sessionLines(s: SessionSettings): string[] {
  const lines: string[] = [];
  lines.push(...hopLines(s.hops));
  if (s.passive) lines.push('  passive on;');
  else lines.push('  connect retry time 5;');
  lines.push(`  hold time ${s.holdSeconds};`);
  lines.push(`  keepalive time ${s.keepaliveSeconds};`);
  lines.push('  graceful restart on;');
  lines.push(`  graceful restart time ${s.gracefulRestartSeconds};`);
  if (s.internal) lines.push('  rr client;   # same AS as the nodes: the router reflects their routes between them');
  if (s.password) lines.push(`  password "\${${s.password.variable}}";`);
  if (s.bfd) lines.push('  bfd on;');
  return lines;
}

function hopLines(h: HopPolicy): string[] {
  switch (h.kind) {
    case 'multihop': return [`  multihop ${h.ttl};`];
    case 'ttl-security': return ['  ttl security on;', `  multihop ${h.hops};`];
    case 'direct': return [];
  }
}

/** BIRD prefix set: `[ 10.33.0.0/17{24,32}, ... ]`; an empty set matches nothing. */
function prefixSet(prefixes: readonly PlanAcceptedPrefix[], family: 4 | 6): string {
  if (prefixes.length === 0) {
    // BIRD has no empty set literal; a host route of the unspecified address never arrives.
    return family === 4 ? '[ 0.0.0.0/32{32,32} ]' : '[ ::/128{128,128} ]';
  }
  return `[ ${prefixes.map((a) => `${a.cidr}{${a.minLength},${a.maxLength}}`).join(', ')} ]`;
}

function protocolName(prefix: string, address: string): string {
  return `${prefix}_${address.replace(/[^0-9A-Za-z]/g, '_')}`;
}

function escapeBird(s: string): string {
  return s.replace(/[\\"]/g, '_');
}

function routerIdFor(address: string): string {
  const words = address.split(':');
  const last = parseInt(words[words.length - 1] || '0', 16) || 1;
  return `0.0.${(last >> 8) & 255}.${last & 255}`;
}
