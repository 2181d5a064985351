/**
 * What the Lua-side commands (`upload`, `sync`, `files`, `cat`, `rm`, `run`, `lfs`, `test`)
 * share: their common options (`--console-baud`, `--reset`, `--log`), checked before the port
 * is opened, and running the work in a Lua session on the board with its events rendered.
 *
 * @module
 */

import { userError } from "../../../mod.ts";
import {
  checkConsoleBaud,
  type LuaEvent,
  type LuaSession,
  openLuaSession,
  withConsoleBaud,
} from "../../lua/mod.ts";
import { withTransport } from "../board.ts";
import type { CommandContext, OptionSpec } from "../command.ts";
import { type LuaRenderOptions, renderLuaEvents } from "../lua_render.ts";

/** `--console-baud`, for commands that move data. */
export const CONSOLE_BAUD_OPTION: Record<string, OptionSpec> = {
  "console-baud": {
    type: "string",
    valueName: "BAUD",
    description: "move the console to this rate for the transfer (e.g. 460800), back afterwards",
  },
};

/** Options every Lua-side command has. */
export const LUA_OPTIONS: Record<string, OptionSpec> = {
  reset: {
    type: "string",
    valueName: "HOW",
    description: "none (default: talk to the running board), rts-pulse (reset first) or manual",
  },
  log: { type: "string", valueName: "FILE", description: "save everything the board printed" },
};

/** The checked common options. */
export interface LuaCommandOptions {
  /** `--console-baud`. */
  consoleBaud: number | undefined;
  /** `--reset`. */
  reset: "none" | "rts-pulse" | "manual";
  /** `--log`. */
  log: string | undefined;
}

/**
 * Reads and checks the common options (before the port is opened).
 *
 * @param ctx the command context
 * @returns the options
 */
export function luaCommandOptions(ctx: CommandContext): LuaCommandOptions {
  const baudText = ctx.options["console-baud"];
  let consoleBaud: number | undefined;
  if (typeof baudText === "string") {
    consoleBaud = Number(baudText);
    if (!/^\d+$/.test(baudText)) {
      throw userError(
        "input/console-baud",
        `--console-baud must be a whole number, not '${baudText}'`,
        "For example --console-baud 460800.",
      );
    }
    checkConsoleBaud(consoleBaud);
  }
  const reset = ctx.options.reset ?? "none";
  if (reset !== "none" && reset !== "rts-pulse" && reset !== "manual") {
    throw userError(
      "input/reset",
      `Unknown --reset value '${String(reset)}'`,
      "Use none, rts-pulse or manual.",
    );
  }
  const log = typeof ctx.options.log === "string" ? ctx.options.log : undefined;
  return { consoleBaud, reset, log };
}

/**
 * Opens the board, reaches its Lua prompt, runs `fn` (at `--console-baud` when given), and
 * closes everything.
 *
 * @param ctx the command context
 * @param options the checked common options, and where program output goes
 * @param fn the work
 * @returns what `fn` returns
 */
export async function withLuaSession<T>(
  ctx: CommandContext,
  options: LuaCommandOptions & Pick<LuaRenderOptions, "output">,
  fn: (session: LuaSession, port: string, render: (e: LuaEvent) => void) => Promise<T>,
): Promise<T> {
  const log = options.log === undefined
    ? undefined
    : await Deno.open(options.log, { write: true, create: true, truncate: true }).catch((e) => {
      throw userError(
        "output/unwritable-file",
        `Cannot write ${options.log}: ${(e as Error).message}`,
        "Check the directory exists and is writable.",
      );
    });
  const render = renderLuaEvents(ctx.out, {
    ...(log ? { log } : {}),
    ...(options.output ? { output: options.output } : {}),
  });
  try {
    return await withTransport(ctx, async (transport, port) => {
      const session = await openLuaSession(transport, {
        reset: options.reset,
        onEvent: render.onEvent,
      });
      try {
        return await withConsoleBaud(
          session,
          options.consoleBaud,
          () => fn(session, port, render.onEvent),
        );
      } finally {
        session.close();
      }
    });
  } finally {
    render.close();
    log?.close();
  }
}
