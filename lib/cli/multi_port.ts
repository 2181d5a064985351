/**
 * Several boards from one command: `--port` given more than once, or `--port auto` for every
 * port that looks like an ESP8266 board's USB bridge. Each board runs its own job at the same
 * time as the others, under its own port lock (taken when its port opens), with its own
 * progress and result; one board's failure does not stop the others. Human lines carry the
 * board's port in front (`[/dev/ttyUSB1] ...`); with `--json` every event carries a `port` field,
 * each board ends with a `board-result` object, and the last line is the run's `result` with
 * one entry per board. The exit code is 0 when every board succeeded, else 1 (2 when every
 * failure was a usage or input error).
 *
 * @module
 */

import { isNodeflashError, userError } from "../../mod.ts";
import { choosePort, listPorts } from "../transport/mod.ts";
import type { CommandContext } from "./command.ts";
import { Output, type OutputSink } from "./output.ts";
import { portListOptions } from "./port_roots.ts";

/** What one board's job ends with. */
export interface BoardOutcome {
  /** The board's exit code (0, 1 or 2). */
  code: number;
  /** The fields of its result object. */
  result: Record<string, unknown>;
}

/**
 * The ports a command works on: every `--port` given (`auto` stands for every ESP-like port
 * found; alone it is the only one), `NODEFLASH_PORT`, or the only ESP-like port found.
 *
 * @param ctx the command context
 * @returns one or more ports, without repeats
 * @throws NodeflashError `port/none-found` / `port/ambiguous` when discovery cannot choose
 */
export async function resolvePorts(ctx: CommandContext): Promise<string[]> {
  const given = ctx.global.ports ?? (ctx.global.port ? [ctx.global.port] : []);
  const wanted = given.filter((p) => p !== "");
  const found = async () => await listPorts(portListOptions(ctx.env));
  if (wanted.length === 0) {
    const port = choosePort(await found());
    ctx.out.info(`Using ${port.path} (the only ESP-like serial port found)`);
    return [port.path];
  }
  const out: string[] = [];
  for (const port of wanted) {
    if (port.toLowerCase() !== "auto") {
      out.push(port);
      continue;
    }
    const likely = (await found()).filter((p) => p.likelyEsp).map((p) => p.path);
    if (likely.length === 0) choosePort([]); // throws: nothing found, with the usual hint
    ctx.out.info(`--port auto: ${likely.join(", ")}`);
    out.push(...likely);
  }
  return [...new Set(out)];
}

/**
 * Refuses more than one port for a command that works on one board.
 *
 * @param ctx the command context
 * @throws NodeflashError `cli/one-port`
 */
export function checkOnePort(ctx: CommandContext): void {
  const ports = ctx.global.ports ?? [];
  if (ports.length > 1) {
    throw userError(
      "cli/one-port",
      `'${ctx.command}' works on one board, but --port was given ${ports.length} times`,
      "Give one --port; 'flash' is the command that takes several.",
    );
  }
}

/** A sink that writes a board's lines with its port in front, and its JSON with a `port`. */
function boardSink(out: Output, port: string): OutputSink {
  const tag = JSON.stringify(port);
  return {
    stdout: (text) => out.raw(text.replace(/^\{(?=.)/gm, (open) => `${open}"port":${tag},`)),
    stderr: (text) => out.stderr(text.replace(/^(?=.)/gm, `[${port}] `)),
    // several boards at once: plain progress lines, never bars that overwrite each other
    stderrIsTerminal: false,
  };
}

/**
 * A board's own context: its port as `--port`, its own output.
 *
 * @param ctx the run's context (each board writes through its output, tagged)
 * @param port the board's port
 * @returns the board's context
 */
export function boardContext(ctx: CommandContext, port: string): CommandContext {
  const out = new Output(boardSink(ctx.out, port), { json: ctx.out.json, quiet: ctx.out.quiet });
  return { ...ctx, out, global: { ...ctx.global, port, ports: [port] } };
}

/**
 * Runs `job` on every board at once and reports each outcome, then the run's.
 *
 * @param ctx the run's context
 * @param ports the boards' ports
 * @param job one board's work
 * @returns the exit code: 0 when all succeeded
 */
export async function runOnBoards(
  ctx: CommandContext,
  ports: string[],
  job: (board: CommandContext, port: string) => Promise<BoardOutcome>,
): Promise<number> {
  const outcomes = await Promise.all(ports.map(async (port) => {
    const board = boardContext(ctx, port);
    try {
      const outcome = await job(board, port);
      board.out.emit({ type: "board-result", ...outcome.result });
      return { port, ...outcome };
    } catch (e) {
      return { port, ...failed(board, e) };
    }
  }));
  // Interrupted: every board stopped for the same reason; the CLI reports it once.
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const bad = outcomes.filter((o) => o.code !== 0);
  ctx.out.info(
    bad.length === 0
      ? `All ${ports.length} boards done.`
      : `${ports.length - bad.length} of ${ports.length} boards done; failed: ${
        bad.map((o) => `${o.port} (${String(o.result.error ? errorCode(o.result) : "check")})`)
          .join(", ")
      }`,
  );
  ctx.out.result({
    ok: bad.length === 0,
    boards: outcomes.map((o) => ({ port: o.port, ...o.result })),
  });
  if (bad.length === 0) return 0;
  return bad.every((o) => o.code === 2) ? 2 : 1;
}

function errorCode(result: Record<string, unknown>): string {
  const error = result.error as { code?: string } | undefined;
  return error?.code ?? "error";
}

/** A board's failure, rendered on its own lines, as its outcome. */
function failed(board: CommandContext, e: unknown): BoardOutcome {
  if (isNodeflashError(e)) {
    const error = { code: e.code, kind: e.kind, message: e.message, hint: e.hint, ...e.details };
    board.out.emit({ type: "board-result", ok: false, error });
    board.out.stderr(`error: ${e.message.split("\n").slice(0, 2).join("\n")}\n`);
    if (e.hint) board.out.stderr(`hint: ${e.hint}\n`);
    return { code: e.kind === "user" ? 2 : 1, result: { ok: false, error } };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const error = { code: "internal", kind: "bug", message: err.message };
  board.out.emit({ type: "board-result", ok: false, error });
  board.out.stderr(
    `error: internal error (a bug in nodeflash, please report it): ${err.message}\n`,
  );
  board.out.stderr(`${err.stack ?? ""}\n`);
  return { code: 1, result: { ok: false, error } };
}
