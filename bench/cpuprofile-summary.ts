// Summarizes a V8 CPU profile written by `node --cpu-prof`: where the time goes, by self time per
// function and per module (npm package, or file of this project), and by inclusive time of this
// project's functions.
//
//   node lib/bench/cpuprofile-summary.js FILE.cpuprofile [--top N] [--callers TEXT]
//
// --callers TEXT: also the callers of the functions whose name (with module and line) contains
// TEXT, weighted by the time spent in those functions and below.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Where a function lives: an npm package, a file of this project, node's internals or V8. */
export function moduleOf(url: string): string {
  if (!url) return '(native/V8)';
  if (url.startsWith('node:')) return 'node:internal';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const lib = path.indexOf('/lib/');
  return lib >= 0 ? path.slice(lib + 1) : path;
}

function functionKey(f: CallFrame): string {
  const where = f.url ? `${moduleOf(f.url)}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
}

/** Time (ms) spent in functions whose key contains `text` (and below), by direct caller. */
export function callers(profile: CpuProfile, text: string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    // The outermost frame matching `text` on this stack, so recursion counts once.
    let match: number | undefined;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      if (functionKey(byId.get(cur)!.callFrame).includes(text)) match = cur;
    }
    if (match === undefined) return;
    const caller = parent.get(match);
    const key = `${caller === undefined ? '(root)' : functionKey(byId.get(caller)!.callFrame)} -> ${functionKey(byId.get(match)!.callFrame)}`;
    out.set(key, (out.get(key) ?? 0) + ms);
  });
  return out;
}

/** Self and inclusive times (ms) by function, and self time by module. */
export function summarize(profile: CpuProfile): { totalMs: number; selfByFunction: Map<string, number>; selfByModule: Map<string, number>; inclusiveByFunction: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfByFunction = new Map<string, number>();
  const selfByModule = new Map<string, number>();
  const inclusiveByFunction = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number): void => { m.set(k, (m.get(k) ?? 0) + v); };
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const node = byId.get(id)!;
    add(selfByFunction, functionKey(node.callFrame), ms);
    add(selfByModule, moduleOf(node.callFrame.url), ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = functionKey(byId.get(cur)!.callFrame);
      if (!seen.has(key)) {
        seen.add(key);
        add(inclusiveByFunction, key, ms);
      }
    }
  });
  return { totalMs, selfByFunction, selfByModule, inclusiveByFunction };
}

function top(m: Map<string, number>, n: number, totalMs: number, filter: (k: string) => boolean = () => true): string {
  return [...m].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, v]) => `${v.toFixed(0).padStart(8)} ms ${((100 * v) / totalMs).toFixed(1).padStart(5)}%  ${k}`).join('\n');
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string' }, callers: { type: 'string' } }, allowPositionals: true });
  const n = Number(values.top ?? 25);
  if (positionals.length === 0) {
    process.stderr.write('usage: cpuprofile-summary FILE.cpuprofile... [--top N] [--callers TEXT]\n');
    process.exitCode = 2;
    return;
  }
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const s = summarize(profile);
    const ours = (k: string): boolean => / lib\/(src|imports|bench)\//.test(k);
    process.stdout.write(`${file}: ${s.totalMs.toFixed(0)} ms sampled\n\n`
      + `self time by module:\n${top(s.selfByModule, n, s.totalMs)}\n\n`
      + `self time by function:\n${top(s.selfByFunction, n, s.totalMs)}\n\n`
      + `inclusive time of this project's functions:\n${top(s.inclusiveByFunction, n, s.totalMs, ours)}\n\n`
      + `inclusive time of library functions:\n${top(s.inclusiveByFunction, n, s.totalMs, (k) => !ours(k) && !k.startsWith('(') && !k.includes('node:internal'))}\n\n`
      + (values.callers === undefined ? '' : `callers of "${values.callers}":\n${top(callers(profile, values.callers), n, s.totalMs)}\n\n`));
  }
}

if (require.main === module) main();
