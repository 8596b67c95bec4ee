import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { VALUES_SCHEMA_PATH } from '../values';
import { CliIo, EXIT_OK } from '../io';

/** `cdk8s-calico schema`: prints the JSON Schema of values files (generated from the props at build time). */
export function registerSchemaCommand(program: Command, io: CliIo, done: (status: number) => void): void {
  program
    .command('schema')
    .description('Print the JSON Schema of values files (`synth --values`), for editors and CI checks.')
    .option('--path', 'print where the installed schema file is instead')
    .action((flags: { path?: boolean }) => {
      io.stdout(flags.path ? `${VALUES_SCHEMA_PATH}\n` : readFileSync(VALUES_SCHEMA_PATH, 'utf8'));
      done(EXIT_OK);
    });
}
