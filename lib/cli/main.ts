/**
 * The CLI's entry point: parse, run, and turn errors into exit codes (exit_codes.ts: 0 success,
 * 1 device or protocol failure, 2 bad usage or input, 70 a bug in nodeflash, 130 / 143
 * interrupted by Ctrl-C / SIGTERM). The only place in `lib/` that ends the process.
 *
 * @module
 */

import { isNodeflashError, VERSION } from "../../mod.ts";
import type { Command } from "./command.ts";
import { COMMANDS } from "./commands.ts";
import { EXIT, exitCodeForSignal } from "./exit_codes.ts";
import { commandHelp, globalHelp } from "./help.ts";
import { Interrupt, listenForInterrupts } from "./interrupt.ts";
import { Output, type OutputSink } from "./output.ts";
import { parseCommandLine } from "./parse_args.ts";

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo extends OutputSink {
  /** Environment lookup. */
  env(name: string): string | undefined;
  /** Aborted when the user interrupts (its reason an `Interrupt` naming the signal). */
  signal?: AbortSignal;
}

/**
 * Runs the CLI and returns its exit code.
 *
 * @param argv the arguments
 * @param io streams and environment
 * @param commands the command table (tests may pass their own)
 * @returns the exit code (exit_codes.ts)
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
    const signal = io.signal ?? new AbortController().signal;
    try {
      const code = await command.run({ ...line, out, env: io.env, signal });
      // a command that gave up because of the interrupt (a smoke test whose port was closed)
      return signal.aborted && code !== EXIT.ok ? reportInterrupt(undefined, out, io) : code;
    } catch (e) {
      if (signal.aborted) return reportInterrupt(e, out, io);
      return reportError(e, out, io);
    }
  } catch (e) {
    return reportError(e, fallback, io);
  }
}

/**
 * Reports a command stopped by Ctrl-C or SIGTERM: `interrupted: ` and where it was (the error
 * the command stopped with names the address reached).
 *
 * @param e what the command threw, if anything
 * @param out the output (for the JSON result)
 * @param io the streams and the signal
 * @returns 130 (SIGINT) or 143 (SIGTERM)
 */
export function reportInterrupt(e: unknown, out: Output, io: CliIo): number {
  const reason = io.signal?.reason;
  const signal = reason instanceof Interrupt ? reason.signal : "SIGINT";
  // the connection's own "Interrupted while talking to..." says nothing the word does not
  const where = isNodeflashError(e) && typeof e.details?.reached === "number"
    ? withoutCause(e)
    : undefined;
  const message = where === undefined ? "interrupted" : `interrupted: ${where}`;
  out.result({
    ok: false,
    error: {
      code: "job/interrupted",
      kind: "user",
      signal,
      message,
      ...(isNodeflashError(e) ? e.details : {}),
    },
  });
  io.stderr(`${message.split("\n")[0]}\n`);
  // what is on the board now and how to go on (the partial write or upload is reported)
  if (where !== undefined && isNodeflashError(e) && e.hint) io.stderr(`hint: ${e.hint}\n`);
  return exitCodeForSignal(signal);
}

/**
 * The error's message without the cause it ends with: the cause of an interrupted job is the
 * port closing under Ctrl-C, which the word "interrupted" already says.
 */
function withoutCause(e: Error): string {
  for (let c = e.cause; c instanceof Error; c = c.cause) {
    const tail = `: ${c.message}`;
    if (e.message.endsWith(tail)) return e.message.slice(0, -tail.length);
  }
  return e.message;
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
    return e.kind === "user" ? EXIT.usage : EXIT.device;
  }
  return reportBug(e, out, io);
}

/**
 * Reports a bug in nodeflash itself: the message, the stack, exit 70.
 *
 * @param e what was thrown
 * @param out the output (for the JSON result)
 * @param io the streams
 * @returns 70
 */
export function reportBug(e: unknown, out: Output, io: OutputSink): number {
  const err = e instanceof Error ? e : new Error(String(e));
  out.result({ ok: false, error: { code: "internal", kind: "bug", message: err.message } });
  io.stderr(`error: internal error (a bug in nodeflash, please report it): ${err.message}\n`);
  io.stderr(`${err.stack ?? ""}\n`);
  return EXIT.bug;
}

/**
 * Runs the CLI as a program: real streams, environment and signals; exits with the code.
 *
 * @param argv the arguments
 */
export async function runCli(argv: readonly string[]): Promise<never> {
  const interrupts = listenForInterrupts({
    listen: (s, h) => Deno.addSignalListener(s, h),
    unlisten: (s, h) => Deno.removeSignalListener(s, h),
    exit: (code) => Deno.exit(code),
  }, { signals: Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"] });
  const encoder = new TextEncoder();
  const write = (file: typeof Deno.stdout) => (text: string) => {
    const bytes = encoder.encode(text);
    let off = 0;
    while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
  };
  const io: CliIo = {
    stdout: write(Deno.stdout),
    stderr: write(Deno.stderr),
    stderrIsTerminal: Deno.stderr.isTerminal(),
    env: (name) => Deno.env.get(name),
    signal: interrupts.signal,
  };
  // whatever escapes (a stray promise rejection, an exception in a timer) is a bug: exit 70
  const crash = (event: Event & { reason?: unknown; error?: unknown }) => {
    event.preventDefault();
    Deno.exit(
      reportBug(
        event.reason ?? event.error,
        new Output(io, { json: argv.includes("--json"), quiet: false }),
        io,
      ),
    );
  };
  globalThis.addEventListener("unhandledrejection", crash);
  globalThis.addEventListener("error", crash);
  const code = await main(argv, io);
  interrupts.dispose();
  Deno.exit(code);
}
