/**
 * Servers for tests of the distributed mode, on loopback only: an S3-compatible bucket
 * (s3rver, in this process) and Redis (Debian's `redis-server`, in a child process, skipped
 * with a printed reason where it is not installed).
 *
 * @module
 */
import S3rver from "s3rver";

/** A running S3 test server with one bucket, `runs`. */
export interface S3Server {
  /** Its URL. */
  endpoint: string;
  /** The variables that make `openStore("s3://runs/...")` use it. */
  env: Record<string, string>;
  /** Stops it. */
  close(): Promise<void>;
}

/**
 * Starts s3rver on a free loopback port with the bucket `runs`.
 *
 * @example
 * ```ts
 * const s3 = await startS3Server();
 * try { ... } finally { await s3.close(); }
 * ```
 */
export async function startS3Server(): Promise<S3Server> {
  const server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: Deno.makeTempDirSync(),
    configureBuckets: [{ name: "runs" }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
    },
    close: () => server.close(),
  };
}

/** Whether `redis-server` is installed; tests that need it skip otherwise. */
export const REDIS_SERVER = (() => {
  for (const dir of ["/usr/bin", "/usr/local/bin", "/usr/sbin"]) {
    try {
      if (Deno.statSync(`${dir}/redis-server`).isFile) return `${dir}/redis-server`;
    } catch { /* not there */ }
  }
  return null;
})();

/** A running Redis test server. */
export interface RedisServer {
  /** Its URL (`redis://127.0.0.1:PORT`). */
  url: string;
  /** Stops it (SIGTERM: it writes its append-only file first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data, as after a crash or an upgrade. */
  restart(): Promise<void>;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`redis on port ${port}: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Starts `redis-server` on a free loopback port, with an append-only file so that a restart
 * keeps the queue.
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * try { ... } finally { await redis.stop(); }
 * ```
 */
export async function startRedis(): Promise<RedisServer> {
  if (!REDIS_SERVER) throw new Error("redis-server is not installed");
  const port = freePort();
  const dir = Deno.makeTempDirSync();
  let process: Deno.ChildProcess | null = null;
  const start = async () => {
    process = new Deno.Command(REDIS_SERVER!, {
      args: [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitForPort(port, 10_000);
  };
  const stop = async () => {
    if (!process) return;
    process.kill("SIGTERM");
    await process.status;
    process = null;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
