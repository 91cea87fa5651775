/**
 * The worker's lifeline, on its own thread so that a training loop that never yields cannot
 * starve it: reads the spec (one JSON line) from stdin and posts it to the worker, then kills
 * the process as soon as stdin ends, which is when the parent exits or is killed.
 *
 * @module
 */
/// <reference lib="deno.worker" />

const reader = Deno.stdin.readable.getReader();
const decoder = new TextDecoder();
let buffered = "";
let posted = false;
for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
  buffered += decoder.decode(chunk.value, { stream: true });
  const end = buffered.indexOf("\n");
  if (!posted && end >= 0) {
    self.postMessage(buffered.slice(0, end));
    posted = true;
  }
}
Deno.kill(Deno.pid, "SIGKILL");
