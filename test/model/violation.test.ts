import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeValue } from '../../src/model/values';
import { boundViolation, escapeControlCharacters, formatViolation, MAX_MESSAGE_LENGTH, redactSecrets, secretValues, shortenText, Violation } from '../../src/model/violation';

const base: Violation = { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', name: 'tor', path: 'spec.peerIP', message: 'bad', severity: 'error' };

test('control characters are escaped: newline, CR, tab, ESC, DEL, C1, line separators, bidi overrides', () => {
  assert.equal(escapeControlCharacters('a\nb\rc\td'), 'a\\nb\\rc\\td');
  assert.equal(escapeControlCharacters('\u001b[31mred\u001b[0m'), '\\u001b[31mred\\u001b[0m');
  assert.equal(escapeControlCharacters('\u007f\u009b\u2028\u2029\u202e\u2066\ufeff'), '\\u007f\\u009b\\u2028\\u2029\\u202e\\u2066\\ufeff');
  assert.equal(escapeControlCharacters('plain ascii, ünïcödé and 日本'), 'plain ascii, ünïcödé and 日本');
});

test('a name or kind with a newline or ANSI escapes cannot forge a line of output', () => {
  const forged: Violation = {
    ...base,
    file: 'x.yaml\n0 errors',
    kind: 'BGPPeer\u001b[2K',
    name: 'tor\n0 errors, 0 warnings in 1 file (1 object, 1 Calico)',
    path: 'spec\r\npeerIP',
    message: 'bad\nerror Fake/x: injected',
  };
  const line = formatViolation(forged);
  assert.equal(line.split('\n').length, 1);
  assert.doesNotMatch(line, /[\u0000-\u001f]/);
  assert.equal(line, 'x.yaml\\n0 errors: error BGPPeer\\u001b[2K/tor\\n0 errors, 0 warnings in 1 file (1 object, 1 Calico) spec\\r\\npeerIP: bad\\nerror Fake/x: injected');
});

test('echoed values are cut: a 1 MB value in a message prints as about a kilobyte, with the end of the message kept', () => {
  const huge = 'x'.repeat(1_000_000);
  const v = boundViolation({ ...base, message: `must match ^[a-z]+$; got "${huge}"; use a shorter name`, name: huge });
  assert.ok(v.message.length <= MAX_MESSAGE_LENGTH + 60, `${v.message.length}`);
  assert.equal(v.message, `must match ^[a-z]+$; got "${'x'.repeat(99)}…(999903 characters cut) use a shorter name`);
  const withSpaces = boundViolation({ ...base, message: `got ${'word '.repeat(100000)} end: fix it` });
  assert.ok(withSpaces.message.length <= MAX_MESSAGE_LENGTH + 60);
  assert.match(withSpaces.message, /characters cut\)….* end: fix it$/);
  assert.ok(v.name.length < 400);
  assert.equal(shortenText('short', 10), 'short');
});

test('a violation at a password field never echoes the value it found; other quoted text stays', () => {
  const v = boundViolation({ ...base, path: 'spec.password', message: 'must be an object; got string "hunter2"; use a Secret in "calico-system"' });
  assert.equal(v.message, 'must be an object; got string "<redacted>"; use a Secret in "calico-system"');
  const mesh = boundViolation({ ...base, path: 'spec.nodeMeshPassword', message: 'got "s3cret"' });
  assert.equal(mesh.message, 'got "<redacted>"');
  // A reference to a Secret is not the secret: its name stays.
  const ref = boundViolation({ ...base, path: 'spec.password.secretKeyRef.name', message: 'Secret "bgp-passwords" is not readable, got "x"' });
  assert.equal(ref.message, 'Secret "bgp-passwords" is not readable, got "x"');
});

test('secretValues and redactSecrets: the values at secret fields are removed wherever a message quotes them', () => {
  const object = { spec: { password: 'hunter2', nodeMeshPassword: { secretKeyRef: { name: 'bgp', key: 'mesh' } }, peers: [{ apiToken: 12345 }], note: 'hunter2' } };
  assert.deepEqual(secretValues(object).sort(), ['12345', 'hunter2']);
  assert.equal(redactSecrets('peer "hunter2" (12345) in "calico-system"', secretValues(object)), 'peer "<redacted>" (<redacted>) in "calico-system"');
  const long = 'p'.repeat(200);
  assert.equal(redactSecrets(`got "${'p'.repeat(80)}…"`, [long]), 'got "<redacted>…"');
});

test('describeValue cuts long strings to 80 characters and escapes them', () => {
  assert.equal(describeValue('a'.repeat(200)), `"${'a'.repeat(80)}…"`);
  assert.equal(describeValue('eth0\n\u001b[1m'), '"eth0\\n\\u001b[1m"');
  assert.equal(describeValue('\u202e'), '"\\u202e"');
  assert.equal(describeValue(null), 'null');
  assert.equal(describeValue([1]), 'a list of 1 item');
});
