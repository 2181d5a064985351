/**
 * The CLI's entry point: parse, run, and turn errors into exit codes (0 success, 1 device or
 * protocol failure, 2 bad usage or input). The only place in `lib/` that ends the process.
 *
 * @module
 */

import { isNodeflashError, VERSION } from "../../mod.ts";
import type { Command } from "./command.ts";
import { COMMANDS } from "./commands.ts";
import { commandHelp, globalHelp } from "./help.ts";
import { Output, type OutputSink } from "./output.ts";
import { parseCommandLine } from "./parse_args.ts";

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo extends OutputSink {
  /** Environment lookup. */
  env(name: string): string | undefined;
  /** Aborted when the user interrupts. */
  signal?: AbortSignal;
}

/**
 * Runs the CLI and returns its exit code.
 *
 * @param argv the arguments
 * @param io streams and environment
 * @param commands the command table (tests may pass their own)
 * @returns 0, 1 or 2
 */
export async function main(
  argv: readonly string[],
  io: CliIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const wantsJson = argv.includes("--json");
  const fallback = new Output(io, { json: wantsJson, quiet: false });
  try {
    const parsed = parseCommandLine(argv, { commands, env: io.env });
    if (parsed.kind === "version") {
      io.stdout(`nodeflash ${VERSION}\n`);
      return 0;
    }
    if (parsed.kind === "help") {
      io.stdout(parsed.command ? commandHelp(parsed.command) : globalHelp(commands));
      return 0;
    }
    const { command, line } = parsed;
    const out = new Output(io, { json: line.global.json, quiet: line.global.quiet });
    return await command.run({
      ...line,
      out,
      env: io.env,
      signal: io.signal ?? new AbortController().signal,
    });
  } catch (e) {
    return reportError(e, fallback, io);
  }
}

/**
 * Prints an error (at most 4 lines: message and hint; a stack only for bugs) and picks the exit
 * code.
 *
 * @param e what was thrown
 * @param out the output (for the JSON result)
 * @param io the streams
 * @returns the exit code
 */
export function reportError(e: unknown, out: Output, io: OutputSink): number {
  if (isNodeflashError(e)) {
    out.result({
      ok: false,
      error: { code: e.code, kind: e.kind, message: e.message, hint: e.hint, ...e.details },
    });
    const message = e.message.split("\n").slice(0, 2).join("\n");
    io.stderr(`error: ${message}\n`);
    if (e.hint) io.stderr(`hint: ${e.hint}\n`);
    return e.kind === "user" ? 2 : 1;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  out.result({ ok: false, error: { code: "internal", kind: "bug", message: err.message } });
  io.stderr(`error: internal error (a bug in nodeflash, please report it): ${err.message}\n`);
  io.stderr(`${err.stack ?? ""}\n`);
  return 1;
}

/**
 * Runs the CLI as a program: real streams, environment and signals; exits with the code.
 *
 * @param argv the arguments
 */
export async function runCli(argv: readonly string[]): Promise<never> {
  const controller = new AbortController();
  const stop = () => controller.abort(new Error("interrupted"));
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, stop);
  const encoder = new TextEncoder();
  const write = (file: typeof Deno.stdout) => (text: string) => {
    const bytes = encoder.encode(text);
    let off = 0;
    while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
  };
  const code = await main(argv, {
    stdout: write(Deno.stdout),
    stderr: write(Deno.stderr),
    stderrIsTerminal: Deno.stderr.isTerminal(),
    env: (name) => Deno.env.get(name),
    signal: controller.signal,
  });
  Deno.exit(code);
}
