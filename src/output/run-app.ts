import { CalicoApp, CalicoAppProps } from './calico-app';
import { CalicoValidationError, formatViolation } from '../validation';

/**
 * Runs a Calico app as a command: builds it with `define`, synthesizes into `outdir` (default
 * `CDK8S_OUTDIR` or `dist`), prints warnings, and on invalid input prints one line per violation
 * to stderr and exits 1 without writing anything (no stack trace).
 */
export function runApp(define: (app: CalicoApp) => void, props: CalicoAppProps = {}): void {
  try {
    const app = new CalicoApp(props);
    define(app);
    app.synth();   // prints the warnings
  } catch (e) {
    if (e instanceof CalicoValidationError) {
      for (const v of e.violations) process.stderr.write(`${formatViolation(v)}\n`);
      const errors = e.violations.filter((v) => v.severity === 'error').length;
      process.stderr.write(`${errors} error(s): nothing was written.\n`);
    } else {
      process.stderr.write(`${(e as Error).message}\n`);
    }
    process.exitCode = 1;
  }
}
