import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Installed size of a package's production dependency tree. */
export interface DepsSize {
  /** Packages in the tree (the package itself excluded). */
  readonly packages: number;
  /** Space taken on disk (allocated blocks, as `du` counts), in bytes. */
  readonly diskBytes: number;
  /** Sum of the file sizes, in bytes. */
  readonly apparentBytes: number;
}

/**
 * Sums the sizes of the packages that `npm ls --omit=dev --all --parseable` lists for the package
 * in `root`. A package's nested `node_modules` is left out of its own size (those packages are
 * listed on their own), and hard-linked files count once, so nothing is counted twice.
 */
export function productionDepsSize(root: string): DepsSize {
  let out: string;
  try {
    out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    // npm ls exits 1 on extraneous or invalid packages but still lists the tree.
    out = (e as { stdout?: string }).stdout ?? '';
    if (!out) throw e;
  }
  const self = resolve(root);
  const dirs = [...new Set(out.split('\n').map((l) => l.trim()).filter((l) => l && resolve(l) !== self))];
  const seen = new Set<string>();
  let diskBytes = 0;
  let apparentBytes = 0;
  const walk = (dir: string, top: boolean): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (top && entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      const st = lstatSync(path);
      const key = `${st.dev}:${st.ino}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diskBytes += st.blocks * 512;
      apparentBytes += st.size;
      if (st.isDirectory()) walk(path, false);
    }
  };
  for (const dir of dirs) {
    const st = lstatSync(dir);
    seen.add(`${st.dev}:${st.ino}`);
    diskBytes += st.blocks * 512;
    apparentBytes += st.size;
    walk(dir, true);
  }
  return { packages: dirs.length, diskBytes, apparentBytes };
}
