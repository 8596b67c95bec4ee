import { ApiObject, JsonPatch } from 'cdk8s';
import * as calico from '../../imports/projectcalico.org';

/**
 * JSON patches on the generated classes (imports/*.ts), applied to the JSON that is written.
 *
 * cdk8s's `ApiObject.toJson()` applies an object's patches to its props as given, in their
 * TypeScript names (`spec.peerIp`); the generated subclasses' `toJson()` then maps that result
 * to the Kubernetes names with `toJson_<Type>()` functions that copy only the fields they know
 * (`'peerIP': obj.peerIp`). So a patch in JSON names (`/spec/peerIP`, or
 * `/spec/calicoNetwork/containerIPForwarding`) either fails (no such path) or vanishes, a misspelt
 * field vanishes too, and only fields whose TypeScript and JSON names agree survive.
 * cdk8s-plus objects behave as users expect: patches apply to the manifest.
 *
 * The fix, without editing the generated files or reading cdk8s's private fields: on each
 * generated class, `addJsonPatch` keeps the patches here (cdk8s never sees them), and `toJson`
 * applies them to the generated `toJson()`'s result, i.e. to the JSON that is written and
 * validated. A patch that introduces a misspelt field therefore reaches the schema check
 * (unknown fields are errors) instead of disappearing.
 */
const PATCHES = new WeakMap<ApiObject, JsonPatch[]>();
const INSTALLED = Symbol.for('cdk8s-calico.jsonPatchesOnManifest');

/** Installs the behaviour above on every ApiObject class of a generated module. */
export function patchOnManifest(generated: Record<string, unknown>): void {
  for (const value of Object.values(generated)) {
    // Not `instanceof`: ApiObject's Symbol.hasInstance answers for instances only.
    if (typeof value !== 'function' || !Object.prototype.isPrototypeOf.call(ApiObject.prototype, value.prototype)) continue;
    const proto = value.prototype as ApiObject & { [INSTALLED]?: true };
    if (!Object.prototype.hasOwnProperty.call(proto, 'toJson') || proto[INSTALLED]) continue;
    const generatedToJson: () => any = proto.toJson;
    Object.defineProperties(proto, {
      [INSTALLED]: { value: true },
      addJsonPatch: {
        configurable: true,
        writable: true,
        value(this: ApiObject, ...ops: JsonPatch[]): void {
          const list = PATCHES.get(this);
          if (list) list.push(...ops);
          else PATCHES.set(this, [...ops]);
        },
      },
      toJson: {
        configurable: true,
        writable: true,
        value(this: ApiObject): any {
          const json = generatedToJson.call(this);
          const ops = PATCHES.get(this);
          if (!ops || ops.length === 0) return json;
          let patched: any;
          try {
            patched = JsonPatch.apply(json, ...ops);
          } catch (e) {
            // The message cdk8s gives for a patch that does not apply.
            throw new Error(`Failed serializing construct at path '${this.node.path}' with name '${this.name}': ${e}`);
          }
          // apiVersion, kind and metadata first, as cdk8s writes them.
          const result: Record<string, unknown> = {};
          for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
            if (k in patched && !(k in result)) result[k] = patched[k];
          }
          return result;
        },
      },
    });
  }
}

// The operator.tigera.io classes (550 KB, not needed to synthesize a chart) get it in
// generated-tigera.ts, loaded by the package's entry point.
patchOnManifest(calico);

export { calico };
