/**
 * The smoke-test options shared by `nodeflash smoke` and `flash --smoke`, and running it with
 * its rendering: phases and format dots on stderr, the serial log to `--log FILE`, the result
 * in words (or as JSON).
 *
 * @module
 */

import {
  runSmokeTest,
  type SmokeEvent,
  type SmokeResult,
  type SmokeTestOptions,
} from "../../smoke/mod.ts";
import { type Transport, userError } from "../../../mod.ts";
import type { CommandContext, OptionSpec } from "../command.ts";
import { openLogFile } from "../log_file.ts";

/** The options. */
export const SMOKE_OPTIONS: Record<string, OptionSpec> = {
  smoke: {
    type: "boolean",
    description: "after flashing, check that NodeMCU boots to its Lua prompt",
  },
  lua: {
    type: "string",
    valueName: "CODE",
    description: "one line of Lua to run at the prompt as an extra check",
  },
  expect: { type: "string", valueName: "REGEX", description: "what --lua's output must match" },
  "smoke-timeout": {
    type: "string",
    valueName: "SECONDS",
    description:
      "boot-to-prompt limit (default 20; a first-boot format gets its own, longer limit)",
  },
  "reset": {
    type: "string",
    valueName: "HOW",
    description: "rts-pulse (default with DTR/RTS), manual (you press RESET) or none",
  },
  "no-rom-log": {
    type: "boolean",
    description: "do not listen at 74880 baud for the ROM's boot line (adapters that cannot)",
  },
  log: { type: "string", valueName: "FILE", description: "save everything the board printed" },
};

/** A finished smoke test, for the command's result object. */
export interface SmokeOutcome {
  /** Whether it passed. */
  ok: boolean;
  /** The fields for `--json`. */
  json: Record<string, unknown>;
}

function smokeOptionsFrom(ctx: CommandContext): SmokeTestOptions {
  const str = (k: string) =>
    typeof ctx.options[k] === "string" ? ctx.options[k] as string : undefined;
  const options: SmokeTestOptions = {};
  const lua = str("lua");
  const expect = str("expect");
  if (lua !== undefined) options.lua = lua;
  if (expect !== undefined) {
    if (lua === undefined) {
      throw userError(
        "input/usage",
        "--expect needs --lua",
        "Give the Lua line whose output --expect checks.",
      );
    }
    try {
      options.expect = new RegExp(expect);
    } catch {
      throw userError(
        "input/expect",
        `--expect '${expect}' is not a valid regular expression`,
        "Check the pattern's brackets and escapes.",
      );
    }
  } else if (lua !== undefined) {
    throw userError(
      "input/usage",
      "--lua needs --expect",
      "Say what the output must match, e.g. --expect '^42$'.",
    );
  }
  const timeout = str("smoke-timeout");
  if (timeout !== undefined) {
    const s = Number(timeout);
    if (!Number.isFinite(s) || s <= 0 || s > 3600) {
      throw userError(
        "input/smoke-timeout",
        `--smoke-timeout must be a number of seconds, not '${timeout}'`,
        "For example --smoke-timeout 60.",
      );
    }
    options.timing = { bootTimeoutMs: s * 1000 };
  }
  const reset = str("reset");
  if (reset !== undefined) {
    if (reset !== "rts-pulse" && reset !== "manual" && reset !== "none") {
      throw userError(
        "input/reset",
        `Unknown --reset value '${reset}'`,
        "Use rts-pulse, manual or none.",
      );
    }
    options.reset = reset;
  }
  if (ctx.options["no-rom-log"] === true) options.rom = "skip";
  return options;
}

/**
 * Checks the smoke options (before connecting).
 *
 * @param ctx the command context
 * @param afterFlash for `flash`, whose smoke options mean nothing without `--smoke`
 * @returns the options for runSmokeTest
 */
export function checkSmokeOptions(ctx: CommandContext, afterFlash = false): SmokeTestOptions {
  if (afterFlash && ctx.options.smoke !== true) {
    const stray = Object.keys(SMOKE_OPTIONS).find((k) =>
      k !== "smoke" && ctx.options[k] !== undefined
    );
    if (stray !== undefined) {
      throw userError(
        "input/usage",
        `--${stray} is a smoke-test option, and this flash has no --smoke`,
        "Add --smoke to check the board after flashing, or run nodeflash smoke.",
      );
    }
  }
  return smokeOptionsFrom(ctx);
}

function describe(result: SmokeResult): string[] {
  const b = result.banner;
  const what = b
    ? [
      `NodeMCU ${b.version ?? "(version not printed)"}`,
      b.branch && `branch ${b.branch}`,
      b.commit && `commit ${b.commit.slice(0, 12)}`,
      b.lua && `Lua ${b.lua}`,
      b.sdk && `SDK ${b.sdk}`,
    ].filter(Boolean).join(", ")
    : "NodeMCU (no banner printed)";
  if (result.ok) {
    const at = result.timings.promptMs !== undefined
      ? ` after ${(result.timings.promptMs / 1000).toFixed(1)} s`
      : "";
    const heap = result.heap !== undefined ? `, heap ${result.heap} bytes` : "";
    return [`Smoke test passed: ${what}; the Lua prompt answered${at}${heap}`];
  }
  const d = result.diagnosis;
  return [
    `Smoke test failed (reached: ${result.phase}): ${d?.message ?? "unknown"}`,
    ...(d?.hint ? [`hint: ${d.hint}`] : []),
  ];
}

/**
 * Opens `--log FILE` (when given) before the port is opened, so a bad path is a usage error
 * before the board is touched. The caller closes it.
 *
 * @param ctx the command context
 * @returns the open file, or undefined without `--log`
 */
export function openSmokeLog(ctx: CommandContext): Deno.FsFile | undefined {
  const path = typeof ctx.options.log === "string" ? ctx.options.log : undefined;
  return path === undefined ? undefined : openLogFile(path);
}

/**
 * Runs the smoke test on an open transport and renders it.
 *
 * @param ctx the command context
 * @param transport the board
 * @param job the parsed smoke options, and the `--log` file from {@link openSmokeLog}
 * @returns the outcome
 */
export async function runSmoke(
  ctx: CommandContext,
  transport: Transport,
  job: { options: SmokeTestOptions; log: Deno.FsFile | undefined },
): Promise<SmokeOutcome> {
  const { options, log } = job;
  const logPath = typeof ctx.options.log === "string" ? ctx.options.log : undefined;
  let dots = 0;
  const onEvent = (e: SmokeEvent) => {
    if (e.type === "bytes") {
      log?.writeSync(e.data);
      return;
    }
    if (ctx.out.json) {
      if (e.type !== "sent") ctx.out.emit({ ...e, type: `smoke-${e.type}` });
      return;
    }
    if (e.type === "phase") ctx.out.info(`Board: ${e.phase} (${(e.atMs / 1000).toFixed(1)} s)`);
    else if (e.type === "press-reset") ctx.out.info("Press the board's RESET button now.");
    else if (e.type === "format-progress" && e.dots - dots >= 10) {
      dots = e.dots;
      ctx.out.info(`Formatting the filesystem (first boot): ${e.dots} x 64 KB erased`);
    }
  };
  const result = await runSmokeTest(transport, { ...options, onEvent });
  // Ctrl-C closed the port under the smoke test: no diagnosis of the board (main says interrupted)
  const interrupted = ctx.signal.aborted && !result.ok;
  for (const line of interrupted ? [] : describe(result)) {
    if (result.ok) ctx.out.info(line);
    else ctx.out.stderr(line.startsWith("hint:") ? `${line}\n` : `error: ${line}\n`);
  }
  // A pass can still carry warnings: init.lua's error, printed on the way to the prompt.
  for (const w of result.warnings) {
    ctx.out.warn(w.message, w.code);
    ctx.out.info(`hint: ${w.hint}`);
  }
  return {
    ok: result.ok,
    json: {
      ok: result.ok,
      phase: result.phase,
      banner: result.banner,
      rom: result.rom,
      timings: result.timings,
      heap: result.heap,
      formatDots: result.formatDots,
      userProbe: result.userProbe,
      diagnosis: result.diagnosis,
      warnings: result.warnings,
      ...(logPath ? { log: logPath } : {}),
    },
  };
}

/**
 * `flash --smoke`: runs the smoke test when asked.
 *
 * @param ctx the command context
 * @param transport the board
 * @param job the parsed smoke options (from {@link checkSmokeOptions}) and the `--log` file
 * @returns the outcome, or undefined without `--smoke`
 */
export async function runSmokeAfterFlash(
  ctx: CommandContext,
  transport: Transport,
  job: { options: SmokeTestOptions; log: Deno.FsFile | undefined },
): Promise<SmokeOutcome | undefined> {
  if (ctx.options.smoke !== true) return undefined;
  return await runSmoke(ctx, transport, job);
}
