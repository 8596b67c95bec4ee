/** Pod settings that several constructs take (the operator, calicoctl). */

/**
 * A toleration of a pod (core/v1 Toleration), as written in a manifest.
 */
export interface PodToleration {
  /**
   * Taint key to match. Empty with operator `Exists` matches every taint.
   * @default - every key (requires operator `Exists`)
   */
  readonly key?: string;
  /**
   * `Exists` (any value) or `Equal` (the value below).
   * @default 'Equal'
   */
  readonly operator?: 'Exists' | 'Equal';
  /**
   * Taint value to match (only with operator `Equal`).
   * @default ''
   */
  readonly value?: string;
  /**
   * Taint effect to match.
   * @default - every effect
   */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /**
   * How long (seconds) the pod stays bound after a matching `NoExecute` taint appears.
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** Where the operator reaches the Kubernetes API server when there is no kube-proxy. */
export interface KubernetesServicesEndpoint {
  /** API server host name or IP address (no scheme, no port), e.g. `10.31.0.10` or `api.k8s.example.com`. */
  readonly host: string;
  /** API server port, 1-65535 (usually 6443). */
  readonly port: number;
}
