/**
 * Runs the CLI in-process with captured streams, for tests.
 */

import { main } from "../../lib/cli/main.ts";

/** What a CLI run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as NDJSON (only with --json). */
  json(): Array<Record<string, unknown>>;
}

/**
 * Runs `nodeflash ...args`.
 *
 * @param args the arguments
 * @param env extra environment
 * @returns exit code and output
 */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (t) => stdout += t,
    stderr: (t) => stderr += t,
    stderrIsTerminal: false,
    env: (name) => env[name],
  });
  return {
    code,
    stdout,
    stderr,
    json: () => stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l)),
  };
}

/** A temporary directory removed at the end of `fn`. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "nodeflash-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
