/** Escapes a JSON-pointer segment (RFC 6901), e.g. a label key in a JsonPatch path. */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
