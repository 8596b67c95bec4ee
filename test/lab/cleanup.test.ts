/**
 * Lab hygiene: cleanup() removes every namespace and daemon of a lab by name and pid, and a lab
 * whose process dies on an uncaught error is cleaned up by the exit handler.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Lab, waitFor } from './lab';
import { labSkip } from './site';

const namespaces = (prefix: string) => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith(`${prefix}-`));

test('lab: cleanup() stops the daemons by pid and deletes the namespaces, nothing left in the host namespace', { skip: labSkip, timeout: 30_000 }, async () => {
  const hostLinks = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' });
  const lab = new Lab('c');
  try {
    lab.addHost('h1', ['10.31.0.11/16']);
    lab.startBird('h1', 'router id 10.31.0.11;\nprotocol device {}\n');
    await waitFor('BIRD up', 10_000, () => (lab.runningPids().length === 1 && lab.birdc('h1', 'show status').includes('Daemon is up') ? true : undefined));
    assert.deepEqual(namespaces(lab.prefix).sort(), [`${lab.prefix}-h1`, `${lab.prefix}-sw`]);
    assert.equal(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }), hostLinks, 'no link was added to the host namespace');
    const pids = lab.runningPids();
    lab.cleanup();
    assert.deepEqual(namespaces(lab.prefix), []);
    await waitFor('daemon gone', 5_000, () => (pids.every((p) => !existsSync(`/proc/${p}`) || /State:\s+Z/.test(execFileSync('cat', [`/proc/${p}/status`], { encoding: 'utf8' }))) ? true : undefined));
    assert.ok(!existsSync(lab.dir));
  } finally {
    lab.cleanup();
  }
});

test('lab: a process that dies on an uncaught error still removes its namespaces and daemons', { skip: labSkip, timeout: 30_000 }, () => {
  const script = `
    const { Lab } = require(${JSON.stringify(join(__dirname, 'lab.js'))});
    const lab = new Lab('x');
    lab.addHost('h1', ['10.31.0.11/16']);
    lab.startBird('h1', 'router id 10.31.0.11;\\nprotocol device {}\\n');
    console.log(JSON.stringify({ prefix: lab.prefix, pids: lab.runningPids() }));
    setTimeout(() => { throw new Error('a failing test'); }, 300);
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.notEqual(r.status, 0, 'the child failed');
  assert.match(r.stderr, /a failing test/);
  const { prefix, pids } = JSON.parse(r.stdout.trim().split('\n')[0]) as { prefix: string; pids: number[] };
  assert.equal(pids.length, 1);
  assert.deepEqual(namespaces(prefix), [], 'namespaces removed by the exit handler');
  for (const p of pids) assert.ok(!existsSync(`/proc/${p}`) || /State:\s+Z/.test(execFileSync('cat', [`/proc/${p}/status`], { encoding: 'utf8' })), `daemon ${p} stopped`);
});
