/**
 * `nodeflash demo`: the main job on a simulated board, for people who have no board yet (and the
 * README's `deno task demo`): build a NodeMCU-like firmware, flash it onto `sim://` with progress,
 * verify it, flash it again to show that unchanged sectors are skipped, then reset it and check that
 * NodeMCU boots to a Lua prompt that computes (the smoke test), and print the summary.
 *
 * The body (`demo_run.ts`, which loads the simulator) is imported when the command runs.
 *
 * @module
 */

import type { Command } from "../command.ts";

/** The `demo` command. */
export const demoCommand: Command = {
  name: "demo",
  aliases: [],
  summary: "flash a sample NodeMCU image onto a simulated board (no hardware needed)",
  usage: "demo",
  options: {},
  run: async (ctx) => (await import("./demo_run.ts")).runDemo(ctx),
};
