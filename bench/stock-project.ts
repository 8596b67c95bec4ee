import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Writes a cdk8s TypeScript app the way `cdk8s init typescript-app` lays it out (cdk8s.yaml with
 * `app: npx ts-node main.ts`, a tsconfig, a main.ts that builds a stock `App`), whose chart is the
 * reference cluster imported from the built library. `dir` must lie inside the repository (e.g.
 * `.bench/stock-<pid>`) so that `cdk8s`, `ts-node` and `typescript` resolve from its node_modules.
 * @param root the repository
 * @param dir the project folder (replaced)
 */
export function writeStockProject(root: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk8s.yaml'), 'language: typescript\napp: npx ts-node main.ts\nimports: []\n');
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'stock', version: '0.0.0', private: true, main: 'main.js' }, null, 2)}\n`);
  // The tsconfig.json of the installed cdk8s-cli's typescript-app template, as `cdk8s init` copies it.
  copyFileSync(join(root, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json'), join(dir, 'tsconfig.json'));
  const lib = relative(dir, join(root, 'lib', 'examples', 'reference')).split('\\').join('/');
  writeFileSync(join(dir, 'main.ts'), `import { App } from 'cdk8s';
import { referenceCluster } from '${lib}/main';

// A stock cdk8s App (cdk8s synth sets CDK8S_OUTDIR) holding the reference cluster's chart.
const app = new App();
referenceCluster(app);
app.synth();
`);
}
