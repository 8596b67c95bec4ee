import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Command } from 'commander';
import { VALUES_SCHEMA_PATH } from '../values';
import { CliIo, EXIT_BAD_INPUT, EXIT_OK } from '../io';

/** The starter values file: the reference cluster (package root `examples/reference/values.yaml`; this file is `lib/src/cli/commands/init.js`). */
export const STARTER_VALUES_PATH = join(__dirname, '..', '..', '..', '..', 'examples', 'reference', 'values.yaml');

/** The editor hint line that names the schema (yaml-language-server, used by VS Code's YAML extension and others). */
const SCHEMA_LINE = /^# yaml-language-server: \$schema=.*$/m;

/**
 * The starter values with the schema line pointing at this installation's schema, relative to
 * the folder the file is written to (so editors find it in node_modules).
 */
export function starterValues(target?: string): string {
  const text = readFileSync(STARTER_VALUES_PATH, 'utf8');
  const schema = target === undefined ? VALUES_SCHEMA_PATH : relative(dirname(resolve(target)), VALUES_SCHEMA_PATH).split(sep).join('/');
  return text.replace(SCHEMA_LINE, `# yaml-language-server: $schema=${schema}`);
}

/** `cdk8s-calico init [file]`: writes a commented starter values file (the reference cluster). */
export function registerInitCommand(program: Command, io: CliIo, done: (status: number) => void): void {
  program
    .command('init')
    .description('Write a commented starter values file: the reference cluster (two ToR routers, one pool), to edit and pass to `synth --values`.')
    .argument('[file]', 'file to write; - prints it', 'values.yaml')
    .option('--force', 'overwrite the file if it exists')
    .action((file: string, flags: { force?: boolean }) => {
      if (file === '-') {
        io.stdout(starterValues());
        done(EXIT_OK);
        return;
      }
      if (existsSync(file) && !flags.force) {
        io.stderr(`cdk8s-calico: ${file} exists; nothing was written (use --force to overwrite it, or name another file)\n`);
        done(EXIT_BAD_INPUT);
        return;
      }
      try {
        writeFileSync(file, starterValues(file));
      } catch (e) {
        io.stderr(`cdk8s-calico: cannot write ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (e as Error).message}\n`);
        done(EXIT_BAD_INPUT);
        return;
      }
      io.stdout(`cdk8s-calico: wrote ${file}; edit it, then run: cdk8s-calico synth --values ${file} --out dist\n`);
      done(EXIT_OK);
    });
}
