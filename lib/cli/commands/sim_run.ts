/**
 * The body of `nodeflash sim`, loaded only when the command runs (it loads the simulator).
 *
 * @module
 */

import { startSimServer } from "../../sim/mod.ts";
import type { CommandContext } from "../command.ts";
import { buttonHelp, listenForButtons } from "../sim_buttons.ts";
import { describeSimEvent, openFrameLog } from "../sim_log.ts";
import { simBoardOptions, simEndpoint } from "../sim_options.ts";
import type { SimCommandIo } from "./sim.ts";

/**
 * Serves the simulated board until the command's signal aborts, then saves its flash file.
 *
 * @param ctx the command's context
 * @param io where button presses come from
 * @returns 0
 */
export async function runSim(ctx: CommandContext, io: SimCommandIo): Promise<number> {
  const where = simEndpoint(ctx.options);
  const boardOptions = simBoardOptions(ctx.options);
  const logPath = typeof ctx.options.log === "string" ? ctx.options.log : undefined;
  // The log opens first: a bad path is a usage error before anything listens.
  const log = logPath === undefined ? undefined : openFrameLog(logPath);
  let server;
  try {
    server = await startSimServer({ ...where, boardOptions });
  } catch (e) {
    log?.close();
    throw e;
  }
  const verbose = ctx.options.verbose === true;
  const stop = server.board.on((event) => {
    log?.write(event);
    const line = verbose ? describeSimEvent(event) : undefined;
    if (line !== undefined) ctx.out.stderr(`[sim] ${line}\n`);
  });
  let stopButtons = () => {};
  try {
    // The buttons listen before the line is out: whoever read it may press them at once.
    const sources = io.buttonSources({ keys: server.board.options.reset === "manual" });
    stopButtons = listenForButtons(server.board, sources, {
      onNote: (line) => ctx.out.info(`[sim] ${line}`),
    });
    ctx.out.raw(`listening ${server.url}\n`);
    if (sources.interactive) ctx.out.info(`[sim] ${buttonHelp()}`);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
  } finally {
    stopButtons();
    await server.close();
    stop();
    log?.close();
  }
  return 0;
}
