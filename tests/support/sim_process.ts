/**
 * `nodeflash sim` as a separate program, for tests: `deno run -A mod.ts sim ...` spawned as a
 * child process, its address read from the `listening URL` line it prints on stdout, its
 * stderr collected, and ways to type keys, send signals and wait for it to end.
 */

import { fileURLToPath } from "node:url";

/** A running `nodeflash sim` child. */
export interface SimProcess {
  /** The URL it printed (`rfc2217://127.0.0.1:PORT`, `socket://…`). */
  readonly url: string;
  /** The child. */
  readonly child: Deno.ChildProcess;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /**
   * Waits until stderr (from offset `since`, 0 by default) matches, or fails after `ms`.
   * Resolves with the text from `since`.
   */
  untilStderr(pattern: RegExp, options?: { since?: number; ms?: number }): Promise<string>;
  /** Types text on its stdin. */
  type(text: string): Promise<void>;
  /**
   * Sends a signal (SIGINT by default) and waits for the exit; resolves with the exit code and
   * what else came on stdout. Later calls return the first call's result.
   */
  stop(signal?: Deno.Signal): Promise<{ code: number; stdoutAfter: string }>;
}

const MOD = fileURLToPath(new URL("../../mod.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));

/**
 * Starts `nodeflash sim` with the given arguments (after `sim`), stdin a pipe.
 *
 * @param args e.g. `["--rfc2217", "127.0.0.1:0", "--flash-file", file]`
 * @returns the running child, once it printed its `listening` line
 * @throws when it exits or prints something else first
 */
export async function spawnSim(args: string[]): Promise<SimProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, MOD, "sim", ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let err = "";
  const errDone = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (t) => void (err += t) }),
  );
  const out = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await out.read();
    if (done) {
      await child.stdin.close().catch(() => {});
      await child.status;
      await errDone;
      throw new Error(`nodeflash sim ended before listening:\n${text}${err}`);
    }
    text += value;
  }
  const m = /^listening (\S+)\n$/.exec(text);
  if (!m) {
    child.kill("SIGKILL");
    await child.stdin.close().catch(() => {});
    await out.cancel();
    await child.status;
    await errDone;
    throw new Error(`nodeflash sim printed ${JSON.stringify(text)}, not 'listening URL'`);
  }
  const stdin = child.stdin.getWriter();
  let stopped: Promise<{ code: number; stdoutAfter: string }> | undefined;
  const stop = async (signal: Deno.Signal) => {
    child.kill(signal);
    let after = "";
    for (;;) {
      const { value, done } = await out.read();
      if (done) break;
      after += value;
    }
    const status = await child.status;
    await errDone;
    await stdin.close().catch(() => {});
    return { code: status.code, stdoutAfter: after };
  };
  return {
    url: m[1]!,
    child,
    stderr: () => err,
    async untilStderr(pattern, options = {}) {
      const since = options.since ?? 0;
      const end = Date.now() + (options.ms ?? 10_000);
      while (!pattern.test(err.slice(since))) {
        if (Date.now() > end) throw new Error(`stderr never matched ${pattern}:\n${err}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return err.slice(since);
    },
    async type(text) {
      await stdin.write(new TextEncoder().encode(text));
    },
    stop(signal = "SIGINT") {
      stopped ??= stop(signal);
      return stopped;
    },
  };
}
