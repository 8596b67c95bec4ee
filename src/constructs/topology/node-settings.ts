/**
 * Per-node BGP settings: the labels the BGPPeers select nodes by, a node's own AS number and its
 * route-reflector cluster ID. Calico keeps them on the node: in the Kubernetes datastore on the
 * Kubernetes Node, as its labels and the annotations `projectcalico.org/ASNumber` and
 * `projectcalico.org/RouteReflectorClusterID`, which libcalico-go turns into the Calico Node's
 * `spec.bgp.asNumber` / `spec.bgp.routeReflectorClusterID` (libcalico-go
 * lib/backend/k8s/resources/node.go, K8sNodeToCalico; `calicoctl patch node` writes the same
 * annotations). A GitOps tool must not own Node objects (a prune would delete the node), so these
 * settings are a separate artefact for the node-provisioning step: a shell script of idempotent
 * `kubectl label/annotate --overwrite` commands and a JSON list. Never Node objects.
 */

/** Annotation holding a node's AS number (libcalico-go nodeBgpAsnAnnotation). */
export const NODE_AS_NUMBER_ANNOTATION = 'projectcalico.org/ASNumber';
/** Annotation holding a node's route-reflector cluster ID (libcalico-go nodeBgpCIDAnnotation). */
export const NODE_RR_CLUSTER_ID_ANNOTATION = 'projectcalico.org/RouteReflectorClusterID';

/** What one node needs on its Kubernetes Node for the chart's BGP topology. */
export interface NodeSettings {
  /** Kubernetes node name. */
  readonly name: string;
  /** Labels the chart's selectors read (key -> value), as the inventory gives them. */
  readonly labels: Readonly<Record<string, string>>;
  /** The node's own AS number, or null for the cluster AS. */
  readonly asNumber: number | null;
  /** The node's route-reflector cluster ID (it is a reflector), or null. */
  readonly routeReflectorClusterId: string | null;
}

/** A file of an artefact, relative to the output directory. */
export interface ArtifactFile {
  /** Path relative to the output directory, `/`-separated (e.g. `node-settings/apply.sh`). */
  readonly path: string;
  readonly content: string;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Quotes a word for a POSIX shell (single quotes; a `'` inside becomes `'\''`). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The annotations a node's settings write (sorted by key). */
export function nodeAnnotations(s: NodeSettings): Record<string, string> {
  const out: Record<string, string> = {};
  if (s.asNumber !== null) out[NODE_AS_NUMBER_ANNOTATION] = String(s.asNumber);
  if (s.routeReflectorClusterId !== null) out[NODE_RR_CLUSTER_ID_ANNOTATION] = s.routeReflectorClusterId;
  return out;
}

/** Whether the settings write anything. */
export function hasNodeSettings(s: NodeSettings): boolean {
  return Object.keys(s.labels).length > 0 || s.asNumber !== null || s.routeReflectorClusterId !== null;
}

/**
 * The commands that apply the settings: `kubectl label node --overwrite` and `kubectl annotate
 * node --overwrite`, one of each per node, nodes in name order. Running them twice changes nothing.
 */
export function nodeSettingsScript(settings: readonly NodeSettings[]): string {
  const lines = [
    '#!/bin/sh',
    '# Per-node BGP settings, written by cdk8s-calico: the labels the BGPPeers select nodes by, and',
    '# each node\'s AS number and route-reflector cluster ID (annotations calico-node reads in the',
    '# Kubernetes datastore). Nodes are not GitOps objects: run this from the node-provisioning step,',
    '# with KUBECONFIG pointing at the cluster, before applying the staged YAML. Idempotent.',
    '# Settings are only added or replaced: remove one that no longer applies by hand',
    `# (e.g. kubectl annotate node NAME ${NODE_AS_NUMBER_ANNOTATION}-).`,
    'set -eu',
  ];
  const sorted = [...settings].filter(hasNodeSettings).sort((a, b) => cmp(a.name, b.name));
  for (const s of sorted) {
    const labels = Object.keys(s.labels).sort(cmp).map((k) => shellQuote(`${k}=${s.labels[k]}`));
    if (labels.length > 0) lines.push(`kubectl label node --overwrite ${shellQuote(s.name)} ${labels.join(' ')}`);
    const ann = nodeAnnotations(s);
    const annArgs = Object.keys(ann).sort(cmp).map((k) => shellQuote(`${k}=${ann[k]}`));
    if (annArgs.length > 0) lines.push(`kubectl annotate node --overwrite ${shellQuote(s.name)} ${annArgs.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The settings as JSON: `{nodes: [{name, labels, asNumber, routeReflectorClusterId, annotations}]}`. */
export function nodeSettingsJson(settings: readonly NodeSettings[]): string {
  const nodes = [...settings].filter(hasNodeSettings).sort((a, b) => cmp(a.name, b.name)).map((s) => ({
    name: s.name,
    labels: Object.fromEntries(Object.keys(s.labels).sort(cmp).map((k) => [k, s.labels[k]])),
    asNumber: s.asNumber,
    routeReflectorClusterId: s.routeReflectorClusterId,
    annotations: nodeAnnotations(s),
  }));
  return `${JSON.stringify({ nodes }, null, 2)}\n`;
}

/**
 * The artefact files: `<dir>/apply.sh` and `<dir>/nodes.json` (none when no node needs a setting).
 * @param dir folder relative to the output directory
 */
export function nodeSettingsFiles(settings: readonly NodeSettings[], dir = 'node-settings'): ArtifactFile[] {
  if (!settings.some(hasNodeSettings)) return [];
  return [
    { path: `${dir}/apply.sh`, content: nodeSettingsScript(settings) },
    { path: `${dir}/nodes.json`, content: nodeSettingsJson(settings) },
  ];
}
