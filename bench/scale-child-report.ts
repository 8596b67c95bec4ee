/** What `scale-child` prints (times in ms since the process started, memory in KiB). */
export interface ScaleChildReport {
  readonly peers: number;
  /** Process start until the modules are loaded. */
  readonly loadedMs: number;
  /** Building the constructs. */
  readonly constructMs: number;
  /** CalicoApp.synth(): rendering, validation, YAML, writing. */
  readonly synthMs: number;
  /** Process start until the end of synth. */
  readonly totalMs: number;
  /** `process.resourceUsage().maxRSS` at the end. */
  readonly maxRssKb: number;
  /** BGPPeer documents found in the output. */
  readonly bgpPeersWritten: number;
  /** Bytes written. */
  readonly outputBytes: number;
}
