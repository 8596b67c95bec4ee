/**
 * A lab of real routing daemons in network namespaces (test code, not a test file).
 *
 * Every namespace, veth pair and process is created by the lab and removed by it, by name and by
 * pid, also when a test fails or the process exits early (an `exit` handler runs the cleanup
 * synchronously). One namespace holds the L2 switch (a bridge); each router and each emulated node
 * gets its own namespace with one veth into the switch. Nothing is created in the host's
 * namespace: veths are made inside the namespaces (`ip -n NS link add ... peer ... netns SW`), and
 * no namespace has a route or a link out, so the lab's addresses (the reference cluster's own
 * 10.31.0.0/16) never leave the machine.
 *
 * Daemons: FRR as zebra + bgpd per namespace (`-N <namespace>`: its own /var/run/frr/<namespace>/),
 * BIRD 2 for generated router configurations, BIRD 1.6 (the line calico-node's BIRD comes from) for
 * emulated nodes, found through the BIRD16_DIR environment variable (.ci/run unpacks the Debian
 * package there).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FRR_DIR = '/usr/lib/frr';

/** Where BIRD 1.6 is: $BIRD16_DIR (a `dpkg-deb -x` of Debian's `bird` package), else known scratch folders. */
export function bird16Dir(): string | null {
  const candidates = [process.env.BIRD16_DIR, '/opt/bird16', join(tmpdir(), 'bird16')].filter((c): c is string => !!c);
  for (const c of candidates) if (existsSync(join(c, 'usr/sbin/bird'))) return c;
  return null;
}

/** Why the lab cannot run here, or null when it can. */
export function labUnavailable(): string | null {
  if (process.platform !== 'linux') return 'the lab needs Linux network namespaces';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the lab needs root (ip netns add)';
  const missing: string[] = [];
  for (const [what, path] of [
    ['iproute2 (ip)', '/usr/sbin/ip'], ['FRR zebra', `${FRR_DIR}/zebra`], ['FRR bgpd', `${FRR_DIR}/bgpd`],
    ['FRR vtysh', '/usr/bin/vtysh'], ['BIRD 2 (bird)', '/usr/sbin/bird'], ['BIRD 2 (birdc)', '/usr/sbin/birdc'],
  ] as const) {
    if (!existsSync(path) && !(what.startsWith('iproute2') && existsSync('/sbin/ip'))) missing.push(`${what} at ${path}`);
  }
  if (bird16Dir() === null) missing.push('BIRD 1.6 (set BIRD16_DIR to an unpacked Debian "bird" package: apt-get download bird && dpkg-deb -x bird_*.deb DIR)');
  if (missing.length > 0) return `routing daemons absent: ${missing.join('; ')} (.ci/run installs them: apt-get install frr bird2 iproute2)`;
  return null;
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const live = new Set<Lab>();
process.on('exit', () => {
  for (const lab of live) lab.cleanup();
});
// A runner that stops this process with a signal still gets the lab removed (SIGKILL cannot be caught).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    for (const lab of live) lab.cleanup();
    process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const)[signal]);
  });
}

/** One lab: namespaces, links and daemons, all removed by cleanup(). */
export class Lab {
  /** Unique per run: namespace names start with it. */
  readonly prefix: string;
  /** Scratch folder for configurations, sockets, pid files and logs. */
  readonly dir: string;
  private readonly namespaces: string[] = [];
  private readonly processes: { name: string; child: ChildProcess }[] = [];
  private readonly frrDirs: string[] = [];
  private readonly hosts = new Map<string, string>();
  private readonly switchNs: string;
  private links = 0;
  private cleaned = false;

  constructor(tag: string) {
    this.prefix = `ck${tag}${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
    this.dir = mkdtempSync(join(tmpdir(), `cdk8s-calico-lab-${tag}-`));
    chmodSync(this.dir, 0o755);
    live.add(this);
    this.switchNs = this.addNamespace('sw');
    ip('-n', this.switchNs, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', this.switchNs, 'link', 'set', 'br0', 'up');
  }

  private addNamespace(name: string): string {
    const ns = `${this.prefix}-${name}`;
    ip('netns', 'add', ns);
    this.namespaces.push(ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    return ns;
  }

  /** A host (router or node) with one interface `eth0` on the switch, holding `addresses` (CIDR form). */
  addHost(name: string, addresses: readonly string[]): string {
    const ns = this.addNamespace(name);
    const port = `p${this.links++}`;
    ip('-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', port, 'netns', this.switchNs);
    ip('-n', this.switchNs, 'link', 'set', port, 'master', 'br0');
    ip('-n', this.switchNs, 'link', 'set', port, 'up');
    for (const a of addresses) ip('-n', ns, 'addr', 'add', a, 'dev', 'eth0');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
    this.hosts.set(name, ns);
    return ns;
  }

  /** Namespace of a host. */
  ns(name: string): string {
    const ns = this.hosts.get(name);
    if (!ns) throw new Error(`lab has no host ${name}`);
    return ns;
  }

  private spawnIn(name: string, label: string, command: string, args: readonly string[]): ChildProcess {
    const log = join(this.dir, `${name}.${label}.log`);
    const fd = openSync(log, 'a');
    // `ip netns exec` execs the daemon, so the child's pid is the daemon's own.
    const child = spawn('ip', ['netns', 'exec', this.ns(name), command, ...args], { stdio: ['ignore', fd, fd], detached: false });
    closeSync(fd);
    child.on('error', () => undefined);
    this.processes.push({ name: `${name}/${label}`, child });
    return child;
  }

  /** Starts FRR (zebra + bgpd) in a host's namespace with `config` as bgpd's configuration. */
  startFrr(name: string, config: string): void {
    const ns = this.ns(name);
    const state = join(this.dir, `${name}-frr`);
    mkdirSync(state, { recursive: true });
    const runDir = `/var/run/frr/${ns}`;
    mkdirSync(runDir, { recursive: true });
    this.frrDirs.push(runDir);
    const { uid, gid } = frrIds();
    chownSync(state, uid, gid);
    chownSync(runDir, uid, gid);
    const bgpConf = join(state, 'frr.conf');
    const zebraConf = join(state, 'zebra.conf');
    writeFileSync(bgpConf, config, { mode: 0o644 });
    writeFileSync(zebraConf, '!\n', { mode: 0o644 });
    const common = ['-N', ns, '-u', 'frr', '-g', 'frr', '-P', '0'];
    this.spawnIn(name, 'zebra', `${FRR_DIR}/zebra`, [...common, '-f', zebraConf, '-i', join(state, 'zebra.pid')]);
    this.spawnIn(name, 'bgpd', `${FRR_DIR}/bgpd`, [...common, '-f', bgpConf, '-i', join(state, 'bgpd.pid')]);
  }

  /** Starts BIRD (2, or 1.6 with `bird16`) in a host's namespace. */
  startBird(name: string, config: string, bird16 = false): void {
    const conf = join(this.dir, `${name}.bird.conf`);
    writeFileSync(conf, config, { mode: 0o644 });
    const binary = bird16 ? join(bird16Dir() ?? '', 'usr/sbin/bird') : '/usr/sbin/bird';
    this.spawnIn(name, 'bird', binary, ['-f', '-c', conf, '-s', this.birdSocket(name), '-P', join(this.dir, `${name}.bird.pid`)]);
  }

  birdSocket(name: string): string {
    return join(this.dir, `${name}.ctl`);
  }

  /** `vtysh -N <ns> -c <command>` in the host's namespace. */
  vtysh(name: string, command: string): string {
    return execFileSync('vtysh', ['-N', this.ns(name), '-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  }

  /** `birdc -s <socket> <command>` (BIRD 2's birdc speaks to BIRD 1.6 too; 1.6's own with `bird16`). */
  birdc(name: string, command: string, bird16 = false): string {
    const binary = bird16 ? join(bird16Dir() ?? '', 'usr/sbin/birdc') : '/usr/sbin/birdc';
    return execFileSync(binary, ['-s', this.birdSocket(name), ...command.split(' ')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  }

  /** A daemon's log, for failure messages. */
  log(name: string, label: string): string {
    const p = join(this.dir, `${name}.${label}.log`);
    return existsSync(p) ? readFileSync(p, 'utf8').slice(-4000) : '';
  }

  /** Stops every daemon (by pid) and deletes every namespace and scratch file. Idempotent and synchronous. */
  cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    live.delete(this);
    for (const { child } of this.processes) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    for (const ns of [...this.namespaces].reverse()) {
      // Kill anything still holding the namespace (by pid, as `ip netns pids` lists them).
      try {
        for (const pid of ip('netns', 'pids', ns).split(/\s+/).filter(Boolean)) {
          try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
        }
      } catch { /* namespace gone */ }
      try { ip('netns', 'del', ns); } catch { /* already gone */ }
    }
    for (const d of this.frrDirs) rmSync(d, { recursive: true, force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Names of the lab's namespaces that still exist (for the cleanup test). */
  existingNamespaces(): string[] {
    const listed = ip('netns', 'list').split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
    return listed.filter((n) => n.startsWith(`${this.prefix}-`));
  }

  /** Pids of the lab's daemons that are still running. */
  runningPids(): number[] {
    return this.processes.map((p) => p.child.pid).filter((pid): pid is number => pid !== undefined && existsSync(`/proc/${pid}`) && !isZombie(pid));
  }
}

function isZombie(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

function frrIds(): { uid: number; gid: number } {
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('frr:'));
  const group = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith('frr:'));
  if (!passwd || !group) throw new Error('the frr user and group are missing (install the frr package)');
  return { uid: Number(passwd.split(':')[2]), gid: Number(group.split(':')[2]) };
}

/** Polls `check` every 200 ms until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined, details: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const v = check();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}\n${details()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
