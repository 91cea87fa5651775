/**
 * Opens a run store from its location, as `IMAGINATION_STORE` names it: a folder, or
 * `s3://bucket/prefix` for an S3-compatible bucket, whose server and keys come from the
 * standard AWS variables (`AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`). Worker processes open their parent's store this way.
 *
 * @module
 */
import { BucketStore } from "./bucket.ts";
import { RunStore, type Store } from "./store.ts";

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Variables to read the bucket's server and keys from (default: the environment). */
  env?: Record<string, string | undefined>;
  /** Where a bucket store caches entries read (default: IMAGINATION_CACHE_DIR, else a temp folder). */
  cacheDir?: string;
}

/**
 * The store at `location`: a bucket store for `s3://bucket/prefix`, else a local folder.
 *
 * @example
 * ```ts
 * const store = openStore("s3://runs/paper"); // with AWS_ENDPOINT_URL and keys set
 * const local = openStore("runs");
 * ```
 */
export function openStore(location: string, options: OpenStoreOptions = {}): Store {
  const env = options.env ?? Deno.env.toObject();
  if (!location.startsWith("s3://")) return new RunStore(location);
  const [bucket, ...prefix] = location.slice("s3://".length).split("/");
  if (!bucket) throw new Error(`store "${location}": expected s3://bucket/prefix`);
  const accessKeyId = env.AWS_ACCESS_KEY_ID, secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      `store "${location}": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the bucket`,
    );
  }
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ??
    `https://s3.${region}.amazonaws.com`;
  if (!/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new Error(`endpoint "${endpoint}": expected http(s)://host[:port]`);
  }
  return new BucketStore({
    endpoint,
    bucket,
    prefix: prefix.join("/"),
    accessKeyId,
    secretAccessKey,
    region,
    cacheDir: options.cacheDir ?? env.IMAGINATION_CACHE_DIR,
  });
}
