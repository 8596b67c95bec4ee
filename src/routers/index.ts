/**
 * Router configurations from the BGP plan: the routers' end of every session the nodes open
 * (FRR `frr.conf` and BIRD 2 `bird.conf`), written beside the Calico YAML as
 * `routers/<router>.frr.conf` and `routers/<router>.bird.conf`.
 */
import { BgpPlan } from '../plan/types';
import { renderBird2 } from './bird2';
import { renderFrr } from './frr';
import { resolveRouters } from './model';
import { RouterConfigFile, RouterConfigOptions } from './options';

export * from './options';
export { RouterConfigError, RouterConfigProblem, PasswordPlaceholder } from './model';
export { checkRouterConfig, RouterConfigCheckInput } from './check';

/**
 * One file per router and platform, sorted by path. Throws RouterConfigError naming every bad
 * option or unsatisfiable combination (e.g. listen-range mode for nodes with different passwords).
 */
export function routerConfigs(plan: BgpPlan, options: RouterConfigOptions = {}): RouterConfigFile[] {
  const dir = (options.directory ?? 'routers').replace(/\/+$/, '');
  const files: RouterConfigFile[] = [];
  for (const r of resolveRouters(plan, options)) {
    if (r.platform === 'frr' || r.platform === 'both') {
      files.push({ router: r.name, platform: 'frr', path: joinPath(dir, `${r.name}.frr.conf`), content: renderFrr(r) });
    }
    if (r.platform === 'bird2' || r.platform === 'both') {
      files.push({ router: r.name, platform: 'bird2', path: joinPath(dir, `${r.name}.bird.conf`), content: renderBird2(r) });
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function joinPath(dir: string, file: string): string {
  return dir === '' || dir === '.' ? file : `${dir}/${file}`;
}
