/**
 * A Lua session on a board: reached through the smoke layer (its prompt probe proves the
 * interpreter answers, and a board without a prompt gets its diagnosis rather than a timeout),
 * then what the firmware offers ({@link BoardFacts}), the helpers defined so far, and waiting
 * through a restart.
 *
 * @module
 */

import { deviceError, isNodeflashError } from "../errors.ts";
import { restartSign } from "./console_watch.ts";
import { diagnosisError } from "../smoke/diagnose.ts";
import { runSmokeTest, type SmokeReset, type SmokeResult } from "../smoke/smoke.ts";
import type { SmokeTiming } from "../smoke/watch_boot.ts";
import type { Transport } from "../transport/types.ts";
import { type BoardFacts, FACTS_LINE, parseBoardFacts } from "./board_facts.ts";
import { type HelperGroup, helperPlan } from "./board_helpers.ts";
import type { LuaEventHandler } from "./lua_event.ts";
import { ReplSession } from "./repl_session.ts";

/** Options for {@link openLuaSession}. */
export interface LuaSessionOptions {
  /**
   * How to reach the prompt: `"none"` (default) talks to the running board (an empty line,
   * then the smoke probes; a board that is booting is waited for); `"rts-pulse"` resets it
   * first over DTR/RTS; `"manual"` asks for the RESET button.
   */
  reset?: SmokeReset;
  /** The console's rate (115200). */
  consoleBaud?: number;
  /** Smoke-test timers (boot, format, probe), merged over the smoke layer's defaults. */
  timing?: Partial<SmokeTiming>;
  /** How long the board may stay silent while it owes an answer (5 s by default). */
  answerTimeoutMs?: number;
  /** Receives the session's events. */
  onEvent?: LuaEventHandler;
}

/** A quiet console gets an empty line this soon: an idle board answers it with a prompt. */
const QUICK_NUDGE_MS = 100;
/**
 * Without a reset, how long a silent console may stay silent: a running board answers the first
 * empty line at once, one that is booting talks; the first-boot format has its own limit.
 */
const IDLE_BOOT_TIMEOUT_MS = 5000;
/** Probe failures a half-typed line explains (the board ran the rest of it with the probe). */
const RETRY_CODES = new Set(["smoke/lua-not-running", "smoke/prompt-unresponsive"]);

/**
 * The board's Lua side, at its prompt.
 */
export class LuaSession {
  /** The REPL. */
  readonly repl: ReplSession;
  readonly #options: LuaSessionOptions;
  readonly #defined = new Set<HelperGroup>();
  #facts: BoardFacts;

  /**
   * Use {@link openLuaSession}.
   *
   * @param repl the REPL, at a prompt
   * @param facts what the firmware offers
   * @param options the options it was opened with
   */
  constructor(repl: ReplSession, facts: BoardFacts, options: LuaSessionOptions) {
    this.repl = repl;
    this.#facts = facts;
    this.#options = options;
  }

  /** What the firmware offers. */
  get facts(): BoardFacts {
    return this.#facts;
  }

  /** The port's name, for messages. */
  get url(): string {
    return this.repl.transport.info.url;
  }

  /**
   * Defines a helper group (and what it needs) on the board unless it is there already.
   *
   * @param group the helpers wanted
   */
  async helpers(group: HelperGroup): Promise<void> {
    for (const part of helperPlan(group, this.#defined)) {
      const lines = part.lines.map((l) => Uint8Array.from(l, (c) => c.charCodeAt(0)));
      await this.repl.stream(lines);
      this.#defined.add(part.group);
    }
  }

  /**
   * Whether the board is still the one the helpers were defined on: `undefined` when it is, else
   * the console line that shows it restarted (its RAM, helpers included, is gone).
   *
   * @returns `undefined`, or the evidence of a restart
   */
  async restartEvidence(): Promise<string | undefined> {
    if (!this.#defined.has("test")) return undefined;
    try {
      const out = await this.repl.exec("print(__nfL)");
      if (out === "1") return undefined;
    } catch (error) {
      if (!isNodeflashError(error) || error.kind === "user") throw error;
    }
    return restartSign(this.repl.recent) ?? "the board forgot its state (it restarted)";
  }

  /**
   * After the board restarted (or was reset by {@link LuaSession.restart}): waits for its
   * prompt through the smoke layer, forgets the helpers (RAM is gone) and asks for the facts
   * again.
   *
   * @param reset `"none"` to wait for a restart already under way, `"rts-pulse"` to reset
   * @returns the smoke layer's result (with the boot log)
   */
  async awaitPrompt(reset: SmokeReset = "none"): Promise<SmokeResult> {
    this.repl.release();
    const smoke = await reachPrompt(this.repl.transport, { ...this.#options, reset });
    this.repl.reacquire();
    this.#defined.clear();
    this.#facts = await askFacts(this.repl, smoke);
    return smoke;
  }

  /**
   * Restarts the board and waits for its prompt: over DTR/RTS when the port has them, else
   * with `node.restart()` typed at the prompt.
   *
   * @returns the smoke layer's result
   */
  async restart(): Promise<SmokeResult> {
    if (this.repl.transport.info.modemLines) return await this.awaitPrompt("rts-pulse");
    await this.repl.write(new TextEncoder().encode("\nnode.restart()\n"));
    return await this.awaitPrompt("none");
  }

  /** Gives the port's readable stream back; the session is unusable afterwards. */
  close(): void {
    this.repl.release();
  }
}

async function reachPrompt(
  transport: Transport,
  options: LuaSessionOptions,
): Promise<SmokeResult> {
  const onEvent = options.onEvent;
  const smoke = () =>
    runSmokeTest(transport, {
      reset: options.reset ?? "none",
      ...(options.consoleBaud === undefined ? {} : { consoleBaud: options.consoleBaud }),
      timing: {
        nudgeAfterMs: QUICK_NUDGE_MS,
        ...(options.reset ?? "none") === "none" ? { bootTimeoutMs: IDLE_BOOT_TIMEOUT_MS } : {},
        ...options.timing,
      },
      ...(onEvent === undefined ? {} : { onEvent: (event) => onEvent({ type: "smoke", event }) }),
    });
  let result = await smoke();
  // A line left half-typed (a session cut off mid-line) turns the first probe into a Lua error;
  // that error also ended the line, so a second look finds a clean prompt.
  if (!result.ok && result.phase === "prompt" && RETRY_CODES.has(result.diagnosis?.code ?? "")) {
    result = await smoke();
  }
  if (result.ok) return result;
  throw diagnosisError(
    result.diagnosis ?? {
      code: "smoke/no-prompt",
      message: `The board on ${transport.info.url} did not reach its Lua prompt`,
      hint: "Run nodeflash smoke to see why.",
    },
  );
}

async function askFacts(repl: ReplSession, smoke: SmokeResult): Promise<BoardFacts> {
  const output = await repl.exec(FACTS_LINE);
  const facts = parseBoardFacts(output, smoke.banner);
  if (facts === undefined) {
    throw deviceError(
      "lua/not-nodemcu",
      `The Lua prompt on ${repl.transport.info.url} did not answer like NodeMCU: ${
        JSON.stringify(output.slice(0, 160))
      }`,
      "nodeflash needs NodeMCU's file module at the prompt; check the firmware with nodeflash smoke.",
    );
  }
  return facts;
}

/**
 * Reaches the board's Lua prompt through the smoke layer and asks what the firmware offers.
 * A board without a prompt is a device error carrying the smoke layer's diagnosis
 * (`smoke/...` codes: silent, boot loop, `init.lua` panic, download mode...).
 *
 * @param transport the port, open at the console rate
 * @param options how to reach the prompt, timers, events
 * @returns the session; {@link LuaSession.close} gives the port's stream back
 *
 * @example
 * ```ts
 * import { openLuaSession } from "./lua_session.ts";
 * import { createMemoryLink } from "../transport/memory.ts";
 * import assert from "node:assert/strict";
 * // Nothing on the other end: the smoke layer's diagnosis, not a timeout trace.
 * const link = createMemoryLink({ receive: () => {} });
 * await assert.rejects(
 *   openLuaSession(link.transport, { timing: { bootTimeoutMs: 50, nudgeAfterMs: 10 } }),
 *   (e: Error & { code?: string }) => e.code === "smoke/silent",
 * );
 * await link.transport.close();
 * ```
 */
export async function openLuaSession(
  transport: Transport,
  options: LuaSessionOptions = {},
): Promise<LuaSession> {
  const smoke = await reachPrompt(transport, options);
  const repl = new ReplSession(transport, {
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.answerTimeoutMs === undefined ? {} : { answerTimeoutMs: options.answerTimeoutMs }),
  });
  try {
    const facts = await askFacts(repl, smoke);
    options.onEvent?.({
      type: "session",
      lua: facts.lua,
      digest: facts.digest,
      uart: facts.uart,
      lfs: facts.lfs,
      fsFree: facts.fsFree,
    });
    return new LuaSession(repl, facts, options);
  } catch (error) {
    repl.release();
    throw error;
  }
}
