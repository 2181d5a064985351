/**
 * Runs a program as a benchmark does: its wall time from spawn to exit and the CPU time it used
 * (user + system, of it and its children), read from bash's `times` after it ends.
 *
 * @module
 */

/** What one run cost. */
export interface RunFigures {
  /** Spawn to exit, ms. */
  wallMs: number;
  /** CPU seconds (user + system). */
  cpuSeconds: number;
  /** Exit code. */
  code: number;
  /** Its stdout. */
  stdout: string;
  /** Its stderr (without the `times` lines). */
  stderr: string;
}

const TIMES = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/;

/**
 * Runs `cmd args` under bash and times it.
 *
 * @param cmd the program
 * @param args its arguments
 * @returns wall, CPU, exit code and output
 */
export async function timedRun(cmd: string, args: string[]): Promise<RunFigures> {
  const started = performance.now();
  const out = await new Deno.Command("/bin/bash", {
    args: ["-c", '"$@"; rc=$?; times >&2; exit $rc', "timed", cmd, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wallMs = performance.now() - started;
  const lines = new TextDecoder().decode(out.stderr).trimEnd().split("\n");
  // `times` prints the shell's own times, then its children's
  const children = TIMES.exec(lines.at(-1) ?? "");
  const seconds = (m: string, s: string) => Number(m) * 60 + Number(s);
  return {
    wallMs,
    cpuSeconds: children
      ? seconds(children[1]!, children[2]!) + seconds(children[3]!, children[4]!)
      : NaN,
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: lines.slice(0, -2).join("\n"),
  };
}
