/**
 * Choosing and starting the TF.js backend.
 *
 * `IMAGINATION_BACKEND` (or a CLI's `--backend`) names one of {@link BACKEND_NAMES}.
 * `auto` takes, in order: tfjs-backend-webgpu when Deno's WebGPU adapter is a hardware GPU
 * (never a software rasteriser such as llvmpipe; on Linux set `DENO_WEBGPU_BACKEND=vulkan`),
 * @tensorflow/tfjs-node-gpu when installed and a GPU is visible, @tensorflow/tfjs-node when
 * installed, then wasm-xnnpack (the wasm
 * backend with its convolutions in Debian's native XNNPACK, when `libxnnpack0` is installed),
 * then wasm, then cpu.
 *
 * The native backends are optional: their install scripts download libtensorflow, so they
 * are looked up in the project's `node_modules/` (install them there with npm, see the README)
 * and never pulled in by the import map.
 *
 * @module
 */
import { createRequire } from "node:module";
import { tf } from "./tf.ts";
import { registerWasmTrainingKernels } from "./wasm_kernels.ts";
import { installNativeConvolutions, loadXnnpack, uninstallNativeConvolutions } from "./xnnpack.ts";

/** Backend names accepted by {@link initBackend}. */
export const BACKEND_NAMES = [
  "auto",
  "tensorflow-gpu",
  "tensorflow",
  "webgpu",
  "wasm-xnnpack",
  "wasm",
  "cpu",
] as const;

/** A backend name, `auto` included. */
export type BackendName = typeof BACKEND_NAMES[number];

/** What ran: recorded in every result. */
export interface BackendInfo {
  /** The backend chosen (never `auto`). */
  name: Exclude<BackendName, "auto">;
  /** TF.js's own name of the active backend ("wasm" also for wasm-xnnpack, "cpu", ...). */
  tfjsBackend: string;
  /** TF.js version. */
  tfjsVersion: string;
  /** A line on the device (GPU adapter, SIMD, threads). */
  detail: string;
  /** The WebGPU adapter (vendor, architecture, device, description), on webgpu only. */
  adapter?: string;
}

const INSTALL_HINT: Record<string, string> = {
  "tensorflow-gpu":
    "install it in the project root with `deno add npm:@tensorflow/tfjs-node-gpu@4.22.0 && deno install --allow-scripts=npm:@tensorflow/tfjs-node-gpu` (needs CUDA 11.2 and cuDNN 8.1 on a Linux x86-64 GPU machine)",
  "tensorflow":
    "install it in the project root with `deno add npm:@tensorflow/tfjs-node@4.22.0 && deno install --allow-scripts=npm:@tensorflow/tfjs-node` (its install script downloads libtensorflow)",
  "webgpu":
    "it needs a hardware WebGPU adapter in Deno (navigator.gpu) and none was found; on Linux install libvulkan1 and the GPU driver's Vulkan ICD, set DENO_WEBGPU_BACKEND=vulkan, and in containers NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics",
  "wasm-xnnpack":
    "it needs Debian's native XNNPACK (`apt-get install -y libxnnpack0 libpthreadpool0`) and Deno's --allow-ffi",
};

const NODE_PACKAGES: Record<string, string> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  "tensorflow": "@tensorflow/tfjs-node",
};

let active: BackendInfo | null = null;

/**
 * Parses a backend name, with a clear error for anything else.
 *
 * @example
 * ```ts
 * parseBackendName("wasm"); // "wasm"
 * ```
 */
export function parseBackendName(value: string): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`backend "${value}": expected one of ${BACKEND_NAMES.join(", ")}`);
}

function projectRequire(): NodeRequire {
  return createRequire(new URL("../../deno.json", import.meta.url));
}

function nodePackageInstalled(name: string): boolean {
  try {
    projectRequire().resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

function nvidiaGpuVisible(): boolean {
  try {
    return new Deno.Command("nvidia-smi", { args: ["-L"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/**
 * Points XDG_RUNTIME_DIR at a private directory when it is not an absolute path to an existing
 * directory: a GPU driver may load libwayland while Deno looks for an adapter, and libwayland
 * then prints "error: XDG_RUNTIME_DIR is invalid or not set in the environment".
 */
function ensureRuntimeDir(): void {
  const current = Deno.env.get("XDG_RUNTIME_DIR");
  try {
    if (current?.startsWith("/") && Deno.statSync(current).isDirectory) return;
  } catch { /* missing: replaced below */ }
  const dir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/imagination-runtime-${Deno.uid() ?? 0}`;
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  Deno.env.set("XDG_RUNTIME_DIR", dir);
}

let adapterProbe: Promise<string | null> | null = null;

/**
 * Deno's WebGPU adapter (vendor, architecture, device, description) when it is a hardware GPU,
 * or null: no adapter, or a software one such as llvmpipe. The adapter is looked for once per
 * process.
 *
 * @example
 * ```ts
 * console.log(await hardwareGpuAdapter() ?? "no hardware GPU adapter");
 * ```
 */
export function hardwareGpuAdapter(): Promise<string | null> {
  adapterProbe ??= probeAdapter();
  return adapterProbe;
}

async function probeAdapter(): Promise<string | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return null;
  ensureRuntimeDir();
  try {
    const adapter = await gpu.requestAdapter() as
      | {
        info?: {
          description?: string;
          vendor?: string;
          architecture?: string;
          device?: string;
          isFallbackAdapter?: boolean;
        };
      }
      | null;
    const info = adapter?.info;
    if (!adapter || !info || info.isFallbackAdapter) return null;
    const description = [info.vendor, info.architecture, info.device, info.description]
      .filter((part) => part).join(" ").trim();
    if (/llvmpipe|lavapipe|swiftshader|softpipe|software/i.test(description)) return null;
    return description || "hardware adapter";
  } catch {
    return null;
  }
}

/** Options of {@link initBackend}. */
export interface BackendOptions {
  /** Threads of the native XNNPACK path (`wasm-xnnpack`); default 1, as the wasm backend. */
  threads?: number;
}

async function start(
  name: Exclude<BackendName, "auto">,
  options: BackendOptions,
): Promise<BackendInfo> {
  let detail = "";
  let adapter: string | undefined;
  if (name === "tensorflow-gpu" || name === "tensorflow") {
    if (!nodePackageInstalled(NODE_PACKAGES[name])) {
      throw new Error(
        `backend ${name}: ${NODE_PACKAGES[name]} is not installed; ${INSTALL_HINT[name]}`,
      );
    }
    // Registers the "tensorflow" backend on the shared tfjs instance in node_modules.
    projectRequire()(NODE_PACKAGES[name]);
    if (!(await tf.setBackend("tensorflow"))) {
      throw new Error(`backend ${name}: ${NODE_PACKAGES[name]} loaded but did not start`);
    }
    detail = name === "tensorflow-gpu" ? "libtensorflow with CUDA" : "libtensorflow on CPU";
  } else if (name === "webgpu") {
    adapter = await hardwareGpuAdapter() ?? undefined;
    if (!adapter) throw new Error(`backend webgpu: ${INSTALL_HINT.webgpu}`);
    await import("@tensorflow/tfjs-backend-webgpu");
    if (!(await tf.setBackend("webgpu"))) throw new Error("backend webgpu: did not start");
    detail = `WebGPU on ${adapter}`;
  } else if (name === "wasm-xnnpack" || name === "wasm") {
    registerWasmTrainingKernels();
    if (name === "wasm-xnnpack") {
      const xnnpack = loadXnnpack({ threads: options.threads });
      if (!xnnpack) throw new Error(`backend wasm-xnnpack: ${INSTALL_HINT["wasm-xnnpack"]}`);
      installNativeConvolutions(xnnpack);
      detail = `convolutions in native XNNPACK (${xnnpack.library}), ${xnnpack.threads} ` +
        `thread(s); other kernels wasm SIMD, 1 thread`;
    } else {
      uninstallNativeConvolutions();
      detail = "XNNPACK, SIMD, 1 thread";
    }
    if (!(await tf.setBackend("wasm"))) throw new Error(`backend ${name}: did not start`);
  } else {
    if (!(await tf.setBackend("cpu"))) throw new Error("backend cpu: did not start");
    detail = "pure JavaScript";
  }
  await tf.ready();
  const info = { name, tfjsBackend: tf.getBackend(), tfjsVersion: tf.version.tfjs, detail };
  return adapter ? { ...info, adapter } : info;
}

/**
 * Starts the requested backend (default: `IMAGINATION_BACKEND`, else `auto`) and returns what
 * runs. Naming a backend that is not available throws an error that says how to get it.
 *
 * @example
 * ```ts
 * const backend = await initBackend("wasm");
 * console.log(backend.name); // "wasm"
 * ```
 */
export async function initBackend(
  requested?: string,
  options: BackendOptions = {},
): Promise<BackendInfo> {
  const name = parseBackendName(requested ?? Deno.env.get("IMAGINATION_BACKEND") ?? "auto");
  if (active && (name === "auto" || name === active.name)) return active;
  if (name !== "auto") {
    active = await start(name, options);
    return active;
  }
  const candidates: Exclude<BackendName, "auto">[] = [];
  if (await hardwareGpuAdapter()) candidates.push("webgpu");
  if (nodePackageInstalled(NODE_PACKAGES["tensorflow-gpu"]) && nvidiaGpuVisible()) {
    candidates.push("tensorflow-gpu");
  }
  if (nodePackageInstalled(NODE_PACKAGES.tensorflow)) candidates.push("tensorflow");
  if (loadXnnpack({ threads: options.threads })) candidates.push("wasm-xnnpack");
  candidates.push("wasm", "cpu");
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      active = await start(candidate, options);
      return active;
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  throw new Error(`no backend started: ${failures.join("; ")}`);
}

/**
 * The backend started by {@link initBackend}, or null before it.
 *
 * @example
 * ```ts
 * activeBackend()?.name;
 * ```
 */
export function activeBackend(): BackendInfo | null {
  return active;
}
