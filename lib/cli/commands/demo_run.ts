/**
 * The body of `nodeflash demo`, loaded only when the command runs.
 *
 * @module
 */

import { buildNodemcuFirmware } from "../../testing/mod.ts";
import { flash, openTransport, userError } from "../../../mod.ts";
import type { CommandContext } from "../command.ts";
import { runSmoke } from "./smoke_options.ts";
import { regionJson, renderFlashEvents } from "../render.ts";

/**
 * Runs the demo: flash, flash again, smoke test, summary.
 *
 * @param ctx the command's context
 * @returns 0 when the board answered at its prompt, else 1
 */
export async function runDemo(ctx: CommandContext): Promise<number> {
  if (ctx.positionals.length > 0) {
    throw userError("input/usage", "demo takes no arguments", "Run: nodeflash demo");
  }
  const port = ctx.global.port ?? "sim://";
  if (!port.startsWith("sim:")) {
    throw userError(
      "input/usage",
      "demo only runs on a simulated board (a sim:// port)",
      "Drop --port, or use flash for a real board.",
    );
  }
  const firmware = buildNodemcuFirmware({});
  ctx.out.info(
    `Sample firmware: ${firmware.combined.length} bytes (a NodeMCU-like image), board: ${port}`,
  );
  const transport = await openTransport(port, { baudRate: 115200 });
  // Ctrl-C: the flash stops on the signal, the smoke test when its port closes
  const stop = () => void transport.close();
  ctx.signal.addEventListener("abort", stop, { once: true });
  try {
    const regions = [];
    for (const round of ["first", "again"] as const) {
      ctx.out.info(
        round === "first"
          ? "Flashing..."
          : "Flashing the same image again (nothing should be written)...",
      );
      const render = renderFlashEvents(ctx.out, { port });
      try {
        const result = await flash(transport, {
          files: [{ address: 0, name: "nodemcu-sample.bin", data: firmware.combined }],
          initData: { kind: "builtin", which: "default" },
          // the smoke test after the second round does the reset, as `flash --smoke` does
          ...(round === "again" ? { after: "no-reset" as const } : {}),
          ...(ctx.global.baud !== undefined ? { baud: ctx.global.baud } : {}),
          signal: ctx.signal,
          onEvent: render.onEvent,
        });
        regions.push({ round, seconds: result.seconds, regions: result.regions });
      } finally {
        render.close();
      }
    }
    ctx.out.info("Resetting the board and checking that NodeMCU reaches its Lua prompt...");
    const smoke = await runSmoke(ctx, transport, { options: {}, log: undefined });
    ctx.out.result({
      ok: smoke.ok,
      port,
      rounds: regions.map((r) => ({
        round: r.round,
        seconds: Number(r.seconds.toFixed(3)),
        regions: r.regions.map(regionJson),
      })),
      smoke: smoke.json,
    });
    if (smoke.ok) { for (const line of nextSteps()) ctx.out.info(line); }
    return smoke.ok ? 0 : 1;
  } finally {
    ctx.signal.removeEventListener("abort", stop);
    await transport.close();
  }
}

/**
 * What to try after the demo: the same job on a real board, a simulated board that keeps its
 * flash (its Lua prompt in the monitor, Lua files and tests on it), the GitHub Action.
 *
 * @returns the lines
 *
 * @example
 * ```ts
 * import { nextSteps } from "./demo_run.ts";
 * if (!nextSteps().some((l) => l.includes("nodeflash monitor"))) throw new Error();
 * ```
 */
export function nextSteps(): string[] {
  const board = `"sim://?flash-file=board.bin"`;
  const steps: Array<[string, string]> = [
    ["nodeflash ports", "which port is your board?"],
    ["nodeflash flash --port /dev/ttyUSB0 nodemcu.bin --smoke", "the same job on a real board"],
    [`nodeflash demo --port ${board}`, "a simulated board that keeps its flash in board.bin"],
    [`nodeflash monitor --port ${board}`, "...and its Lua prompt (Ctrl-] quits)"],
    [`nodeflash upload init.lua --port ${board}`, "...your Lua files on it, verified"],
    [
      `nodeflash test my_test.lua --port ${board}`,
      "...your tests run on it (TAP, exit 1 on a failure)",
    ],
    ["examples/pr-check-simulated.yml, docs/action.md", "the same in a GitHub workflow"],
  ];
  const width = Math.max(...steps.map(([command]) => command.length)) + 2;
  return ["", "Next:", ...steps.map(([command, what]) => `  ${command.padEnd(width)}# ${what}`)];
}
