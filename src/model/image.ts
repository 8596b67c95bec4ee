import { Parsed, describeValue } from './values';

/** Container image references: registry overrides of an image. */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/** `host[:port][/path]` as in a Docker image reference (distribution/reference grammar). */
const REGISTRY_RE = new RegExp(`^${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]{1,5})?(?:/${PATH_COMPONENT})*$`);
const REGISTRY_ALLOWED = 'a registry host[:port][/path] without scheme or trailing slash, e.g. "registry.example.com" or "registry.example.com:5000/mirror"';

/** A registry override: `host[:port][/path]`, without scheme, trailing slash, image name or tag. */
export function parseRegistry(input: unknown): Parsed<string> {
  if (typeof input !== 'string' || input.length === 0) return { ok: false, error: `${describeValue(input)} is not a registry: give ${REGISTRY_ALLOWED}` };
  if (!REGISTRY_RE.test(input)) {
    const fixed = input.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
    const hint = fixed !== input && REGISTRY_RE.test(fixed) ? `; did you mean ${JSON.stringify(fixed)}?` : '';
    return { ok: false, error: `${describeValue(input)} is not ${REGISTRY_ALLOWED}${hint}` };
  }
  const port = /:([0-9]+)/.exec(input.split('/')[0])?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return { ok: false, error: `${describeValue(input)} has port ${port}; a port is 1-65535` };
  }
  return { ok: true, value: input };
}

/**
 * `image` (registry/repository, no tag) with its registry replaced by `registry`. The registry of
 * `image` is its first path segment when that has a dot or a colon or is `localhost`; otherwise
 * the image is on Docker Hub and `registry` is prefixed.
 */
export function withRegistry(image: string, registry: string | undefined): string {
  if (registry === undefined) return image;
  const [first, ...rest] = image.split('/');
  const hasRegistry = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return `${registry}/${(hasRegistry ? rest : [first, ...rest]).join('/')}`;
}
