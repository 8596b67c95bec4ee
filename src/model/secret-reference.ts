/**
 * A key in an existing Kubernetes Secret. Secrets are always referenced, never embedded:
 * create the Secret out of band (sealed-secrets, external-secrets, Vault...).
 */
export interface SecretKeyReference {
  /** Name of the Secret. */
  readonly name: string;
  /** Key inside the Secret whose value is used. */
  readonly key: string;
}
