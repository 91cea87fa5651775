/**
 * The run store in an S3-compatible bucket (AWS S3, MinIO, s3rver), shared by machines.
 *
 * An entry is written in two steps so that a reader never sees half of one: its files go to
 * `PREFIX/HASH/TOKEN/NAME` (a token per writer), then the marker `PREFIX/HASH/entry.json`
 * (spec, result, token, file names) is written last. A reader starts from the marker, so a
 * writer that dies or is refused midway leaves no entry, only files that {@link BucketStore.clean}
 * removes later. Each marker names its own writer's files, so two writers of one run never mix
 * their files. Entries read are kept in a local cache folder (a {@link RunStore}), which is
 * what {@link StoredRun.dir} names; every read checks the bucket's marker, so a cached entry
 * whose marker changed or vanished is never returned. Locks are lease objects under `PREFIX/.locks/` holding
 * host, pid and expiry; they are written with conditional requests (`If-None-Match`,
 * `If-Match`) where the server honours them and read back to confirm where it does not.
 *
 * @module
 */
import { AwsClient } from "aws4fetch";
import { checkResult } from "./kinds.ts";
import {
  type Lease,
  type LeaseOptions,
  type RunSpec,
  RunStore,
  specHash,
  type Store,
  type StoredRun,
} from "./store.ts";

/** Options of {@link BucketStore}. */
export interface BucketOptions {
  /** The server's URL, e.g. `http://127.0.0.1:9000`; objects are addressed path-style. */
  endpoint: string;
  /** The bucket (it must exist). */
  bucket: string;
  /** Key prefix of the store's objects ("" for the whole bucket). */
  prefix?: string;
  /** Access key id. */
  accessKeyId: string;
  /** Secret access key. */
  secretAccessKey: string;
  /** Region (default us-east-1). */
  region?: string;
  /** Local folder for entries read (default: a folder under the temporary directory). */
  cacheDir?: string;
}

/** The marker of an entry, written last. */
interface Marker {
  spec: RunSpec;
  result: unknown;
  token: string;
  files: string[];
}

interface LockContent {
  host: string;
  pid: number;
  token: string;
  expires: number;
}

/** The file of a cached entry holding the marker it was read from. */
const CACHED_MARKER = "bucket-entry.json";
/** Files of a writer older than this with no marker naming them are a dead writer's. */
const STALE_FILES_MS = 60 * 60 * 1000;
const HOST = Deno.hostname();

function unescapeXml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** The `Code: Message` of an S3 error body, else its first 100 characters. */
function s3Error(body: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return code ? `${code}${message ? `: ${unescapeXml(message)}` : ""}` : body.slice(0, 100);
}

/** The run store in an S3-compatible bucket. */
export class BucketStore implements Store {
  /** `s3://bucket/prefix`. */
  readonly location: string;
  /** Damaged entries moved aside since the store was opened, one line each. */
  readonly healed: string[] = [];
  /** The local folder holding entries read. */
  readonly cache: RunStore;
  readonly #client: AwsClient;
  readonly #base: string;
  readonly #prefix: string;

  /**
   * Opens a bucket store (no request is made until it is used).
   *
   * @example
   * ```ts
   * const store = new BucketStore({
   *   endpoint: "http://127.0.0.1:9000",
   *   bucket: "runs",
   *   accessKeyId: "minio",
   *   secretAccessKey: "minio123",
   * });
   * ```
   */
  constructor(options: BucketOptions) {
    const prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    this.#prefix = prefix ? `${prefix}/` : "";
    this.location = `s3://${options.bucket}${prefix ? `/${prefix}` : ""}`;
    this.#base = `${options.endpoint.replace(/\/+$/, "")}/${options.bucket}`;
    this.#client = new AwsClient({
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      region: options.region ?? "us-east-1",
      service: "s3",
    });
    const tmp = Deno.env.get("TMPDIR") ?? "/tmp";
    this.cache = new RunStore(
      options.cacheDir ?? `${tmp}/imagination-cache/${options.bucket}/${prefix || "_"}`,
    );
  }

  /** The cache folder. */
  get localDir(): string {
    return this.cache.root;
  }

  #url(key: string): string {
    return `${this.#base}/${(this.#prefix + key).split("/").map(encodeURIComponent).join("/")}`;
  }

  async #request(method: string, key: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await this.#client.fetch(this.#url(key), { ...init, method });
    } catch (error) {
      throw new Error(`bucket ${this.location}: ${method} ${key}: ${(error as Error).message}`);
    }
  }

  /** An object's bytes, or null when there is none. */
  async #get(key: string): Promise<{ bytes: Uint8Array; etag: string } | null> {
    const response = await this.#request("GET", key);
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      throw new Error(
        `bucket ${this.location}: GET ${key}: ${response.status} ${s3Error(await response.text())}`,
      );
    }
    return {
      bytes: new Uint8Array(await response.arrayBuffer()),
      etag: response.headers.get("etag") ?? "",
    };
  }

  /** Writes an object; false when a condition failed (412), an error when refused. */
  async #put(
    key: string,
    body: Uint8Array | string,
    headers: Record<string, string> = {},
  ): Promise<boolean> {
    const response = await this.#request("PUT", key, { body: body as BodyInit, headers });
    const text = await response.text();
    if (response.status === 412) return false;
    if (!response.ok) {
      throw new Error(
        `bucket ${this.location} refused PUT ${key}: ${response.status} ${s3Error(text)}`,
      );
    }
    return true;
  }

  async #delete(key: string): Promise<void> {
    const response = await this.#request("DELETE", key);
    await response.body?.cancel();
  }

  /** Keys under a prefix (relative to the store's prefix) with their modification times. */
  async #list(under: string): Promise<{ key: string; modified: number }[]> {
    const found: { key: string; modified: number }[] = [];
    let continuation = "";
    for (let page = 0; page < 10_000; page++) {
      const query = new URLSearchParams({ "list-type": "2", prefix: this.#prefix + under });
      if (continuation) query.set("continuation-token", continuation);
      let response: Response;
      try {
        response = await this.#client.fetch(`${this.#base}?${query}`);
      } catch (error) {
        throw new Error(`bucket ${this.location}: list: ${(error as Error).message}`);
      }
      const body = await response.text();
      if (!response.ok) {
        throw new Error(`bucket ${this.location}: list: ${response.status} ${s3Error(body)}`);
      }
      for (const [, contents] of body.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const key = unescapeXml(/<Key>([^<]*)<\/Key>/.exec(contents)?.[1] ?? "");
        const modified = Date.parse(/<LastModified>([^<]*)</.exec(contents)?.[1] ?? "");
        found.push({ key: key.slice(this.#prefix.length), modified });
      }
      continuation = unescapeXml(
        /<NextContinuationToken>([^<]*)</.exec(body)?.[1] ?? "",
      );
      if (!/<IsTruncated>true<\/IsTruncated>/.test(body) || !continuation) break;
    }
    return found;
  }

  /**
   * A stored, checked run, or null when the run is not (validly) stored. A damaged marker is
   * moved to `.damaged/` and noted in {@link BucketStore.healed}. The entry's files are copied
   * to the local cache, whose folder the result names.
   *
   * @example
   * ```ts
   * const stored = await store.read(spec); // null: train it
   * ```
   */
  async read<R>(spec: RunSpec): Promise<StoredRun<R> | null> {
    const hash = specHash(spec);
    const object = await this.#get(`${hash}/entry.json`);
    if (!object) return null;
    const text = new TextDecoder().decode(object.bytes);
    let marker: Marker;
    try {
      marker = JSON.parse(text);
    } catch {
      return await this.#moveAside(hash, text, `entry.json is not JSON (${text.length} bytes)`);
    }
    const problem = !marker || typeof marker.token !== "string" || !Array.isArray(marker.files)
      ? "entry.json lacks its token or file list"
      : specHash(marker.spec) !== hash
      ? "entry.json is another run's"
      : checkResult(spec.kind, marker.result);
    if (problem) return await this.#moveAside(hash, text, problem);
    // The cache holds the marker it was filled from: another marker (a bucket emptied and
    // filled again, another writer's entry) makes it stale.
    const cached = await this.cache.read<R>(spec);
    if (cached) {
      try {
        if (Deno.readTextFileSync(`${cached.dir}/${CACHED_MARKER}`) === text) return cached;
      } catch { /* no marker: stale */ }
      Deno.removeSync(cached.dir, { recursive: true });
    }
    const files: Record<string, Uint8Array | string> = { [CACHED_MARKER]: text };
    for (const name of marker.files) {
      const file = await this.#get(`${hash}/${marker.token}/${name}`);
      if (!file) return await this.#moveAside(hash, text, `file ${name} is missing`);
      files[name] = file.bytes;
    }
    return await this.cache.write(spec, marker.result as R, files);
  }

  async #moveAside(hash: string, text: string, problem: string): Promise<null> {
    const aside = `.damaged/${hash}-${Date.now()}.json`;
    await this.#put(aside, text);
    await this.#delete(`${hash}/entry.json`);
    this.healed.push(
      `run ${hash}: ${problem}; moved to ${this.location}/${aside}, the run is redone`,
    );
    return null;
  }

  /**
   * Stores a run: its files first, under a token of this writer, then the marker. When the
   * run is already stored, that entry is kept. A refused write throws and leaves no entry.
   *
   * @example
   * ```ts
   * await store.write(spec, result, { "weights.bin": bytes });
   * ```
   */
  async write<R>(
    spec: RunSpec,
    result: R,
    files: Record<string, Uint8Array | string> = {},
  ): Promise<StoredRun<R>> {
    const existing = await this.read<R>(spec);
    if (existing) return existing;
    const hash = specHash(spec);
    const token = `${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
    const names = Object.keys(files);
    const marker = JSON.stringify({ spec, result, token, files: names } satisfies Marker, null, 1);
    const written: string[] = [];
    try {
      for (const name of names) {
        await this.#put(`${hash}/${token}/${name}`, files[name]);
        written.push(name);
      }
      // First writer wins where the server honours If-None-Match; either way each marker names
      // only its own writer's files.
      const won = await this.#put(`${hash}/entry.json`, marker, { "If-None-Match": "*" });
      if (!won) {
        await Promise.all(written.map((name) => this.#delete(`${hash}/${token}/${name}`)));
        const kept = await this.read<R>(spec);
        if (kept) return kept;
      }
    } catch (error) {
      await Promise.all(
        written.map((name) => this.#delete(`${hash}/${token}/${name}`).catch(() => {})),
      );
      throw new Error(
        `run ${hash} not stored: ${(error as Error).message}; no entry was written`,
      );
    }
    return await this.cache.write(spec, result, { ...files, [CACHED_MARKER]: marker });
  }

  /**
   * Takes the lease object `.locks/NAME` holding host, pid and expiry, renewed every third of
   * the lease while held; an expired lease is taken over.
   *
   * @example
   * ```ts
   * const lease = await store.acquire("run-3f2a");
   * if (lease) try { await train(); } finally { await lease.release(); }
   * ```
   */
  async acquire(name: string, options: LeaseOptions = {}): Promise<Lease | null> {
    const leaseMs = options.leaseMs ?? 15_000;
    const key = `.locks/${name}`;
    const content: LockContent = {
      host: HOST,
      pid: Deno.pid,
      token: crypto.randomUUID(),
      expires: Date.now() + leaseMs,
    };
    const current = await this.#readLock(key);
    if (current && current.lock && Date.now() <= current.lock.expires) return null;
    const condition: Record<string, string> = current
      ? { "If-Match": current.etag }
      : { "If-None-Match": "*" };
    if (!await this.#put(key, JSON.stringify(content), condition)) return null;
    // A server that ignores conditions lets the last writer win: read back to know who did.
    if ((await this.#readLock(key))?.lock?.token !== content.token) return null;
    let held = true;
    let renewing = Promise.resolve();
    const renew = async () => {
      const now = await this.#readLock(key).catch(() => undefined);
      if (now === undefined) return; // unreachable for now: try again at the next renewal
      if (now?.lock?.token !== content.token) {
        held = false;
        clearInterval(timer);
        return;
      }
      await this.#put(key, JSON.stringify({ ...content, expires: Date.now() + leaseMs }), {
        "If-Match": now.etag,
      }).catch(() => {});
    };
    const timer = setInterval(() => {
      renewing = renewing.then(renew);
    }, leaseMs / 3);
    Deno.unrefTimer(timer);
    return {
      name,
      held: () => held,
      release: async () => {
        clearInterval(timer);
        await renewing;
        if (held && (await this.#readLock(key))?.lock?.token === content.token) {
          await this.#delete(key);
        }
        held = false;
      },
    };
  }

  async #readLock(key: string): Promise<{ lock: LockContent | null; etag: string } | null> {
    const object = await this.#get(key);
    if (!object) return null;
    try {
      const lock = JSON.parse(new TextDecoder().decode(object.bytes));
      return { lock: typeof lock?.token === "string" ? lock : null, etag: object.etag };
    } catch {
      return { lock: null, etag: object.etag };
    }
  }

  /**
   * Removes files of writers that left no marker naming them, once older than an hour (a live
   * writer's are left alone); returns how many writers' files were removed.
   *
   * @example
   * ```ts
   * await store.clean(); // 0
   * ```
   */
  async clean(): Promise<number> {
    const writers = new Map<string, { keys: string[]; newest: number }>();
    const markers = new Set<string>();
    for (const { key, modified } of await this.#list("")) {
      const parts = key.split("/");
      if (parts[0].startsWith(".")) continue;
      if (parts.length === 2 && parts[1] === "entry.json") markers.add(parts[0]);
      if (parts.length < 3) continue;
      const writer = `${parts[0]}/${parts[1]}`;
      const found = writers.get(writer) ?? { keys: [], newest: 0 };
      found.keys.push(key);
      found.newest = Math.max(found.newest, modified);
      writers.set(writer, found);
    }
    let removed = 0;
    for (const [writer, { keys, newest }] of writers) {
      if (Date.now() - newest < STALE_FILES_MS) continue;
      const [hash, token] = writer.split("/");
      if (markers.has(hash)) {
        const marker = await this.#get(`${hash}/entry.json`);
        try {
          if (marker && JSON.parse(new TextDecoder().decode(marker.bytes)).token === token) {
            continue;
          }
        } catch { /* a damaged marker names no writer */ }
      }
      await Promise.all(keys.map((key) => this.#delete(key)));
      removed++;
    }
    return removed;
  }
}
