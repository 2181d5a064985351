/**
 * Simulated boards for the speed benchmark: each one a NodeMCU devkit served over RFC 2217 with
 * its time model in real time (bytes take 10 bit times at the line rate, flash work its W25Q32JV
 * time, 1 ms of USB latency each way), its flash holding a given image, and a job window
 * (job_window.ts) to measure one command against.
 *
 * @module
 */

import { type BoardOptions, type SimServer, startSimServer } from "../../lib/sim/mod.ts";
import { type JobFigures, JobWindow } from "./job_window.ts";

/** A served board and the window of the job about to run. */
export interface BenchBoard {
  /** The server (its `url` is what the tools open). */
  server: SimServer;
  /** Watches the next job. */
  window: JobWindow;
}

/**
 * Starts a board whose 4 MB flash holds `image` at 0x0 (erased elsewhere).
 *
 * @param image what the flash holds
 * @param options more board options (`romAutobaudMaxBaud`...)
 * @returns the board, watched from now on
 */
export async function benchBoard(
  image: Uint8Array,
  options: BoardOptions = {},
): Promise<BenchBoard> {
  const flashContents = new Uint8Array(4 << 20).fill(0xff);
  flashContents.set(image);
  const server = await startSimServer({
    kind: "rfc2217",
    boardOptions: { pace: "realtime", timing: { latencyMs: 1 }, flashContents, ...options },
  });
  return { server, window: new JobWindow(server.board) };
}

/**
 * The figures of the job that just ran, and a fresh window for the next one.
 *
 * @param board the board
 * @returns the job's figures
 */
export function endJob(board: BenchBoard): JobFigures {
  const figures = board.window.finish();
  board.window = new JobWindow(board.server.board);
  return figures;
}
