import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Testing } from 'cdk8s';
import { CalicoTorChart, formatPlanText } from '../src';
import { readmeTopologySites, topologySites } from '../examples/topologies/docs';
import { RACK_SITE, RR_SITE } from '../examples/topologies/sites';

const ROOT = join(__dirname, '..', '..');

test('the README\'s example sites are in step with the code (run `node lib/examples/topologies/docs.js` to update them)', () => {
  assert.equal(readmeTopologySites(readFileSync(join(ROOT, 'README.md'), 'utf8')), topologySites());
});

test('the plan the README shows from YAML is the chart\'s own plan of its typed props', () => {
  const doc = topologySites();
  for (const props of [RACK_SITE, RR_SITE]) {
    const text = formatPlanText(new CalicoTorChart(Testing.app(), 'site', props).plan()!).replace(/\n+$/, '');
    assert.ok(doc.includes(`nodes.yaml\n${text}\n\`\`\``), `the CLI's plan of ${props.calicoVersion} differs from the chart's:\n${text}`);
  }
});
