import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

/**
 * The README's TypeScript examples type-check against the library (as `cdk8s-calico`), so the
 * documented API cannot drift from the code. Snippets that use `app`, `chart` or `opChart` without
 * declaring them get those declared.
 */
test('every TypeScript example in the README compiles against the library', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(snippets.length >= 5, `found ${snippets.length} snippets`);
  const files = new Map<string, string>();
  snippets.forEach((code, i) => {
    const prelude: string[] = [];
    if (!/^import /m.test(code)) prelude.push("import { CalicoTorChart } from 'cdk8s-calico';");
    const types: Record<string, string> = { app: "import('cdk8s').App", chart: "import('cdk8s-calico').CalicoTorChart", opChart: "import('cdk8s').Chart" };
    for (const [name, type] of Object.entries(types)) {
      if (new RegExp(`\\b${name}\\b`).test(code) && !new RegExp(`const ${name}\\b`).test(code)) prelude.push(`declare const ${name}: ${type};`);
    }
    files.set(join(ROOT, `.readme-snippet-${i}.ts`), `${prelude.join('\n')}\nexport {};\n${code}`);
  });
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true, skipLibCheck: true,
    baseUrl: ROOT, paths: { 'cdk8s-calico': ['src/index.ts'] }, types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => files.get(f) ?? read(f);
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => files.has(f) || exists(f);
  const program = ts.createProgram([...files.keys()], options, host);
  const problems = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => `${d.file!.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}\n${files.get(d.file!.fileName)}`);
  assert.deepEqual(problems, []);
});
