/**
 * The main job, shared by the CLI and the Action: check the files, connect, prepare the board,
 * plan (header patch, init data), optionally erase everything, write each region (skipping what
 * is already there), verify, and reset into the new firmware.
 *
 * @module
 */

import {
  type FlashFreq,
  type FlashMode,
  type FlashSizeName,
  flashSizeRow,
} from "../chip/flash_size.ts";
import type { ChipInfo, FlashInfo } from "../chip/session.ts";
import { userError } from "../errors.ts";
import type { Transport } from "../transport/types.ts";
import { type AfterReset, leave } from "./after.ts";
import { resumableEraseChip } from "./resumable_erase.ts";
import { flashRegion, type RegionResult } from "./flash_region.ts";
import type { OpenSessionOptions } from "./open_session.ts";
import { Recovery, type RecoveryOptions } from "./recovery.ts";
import { checkFiles, type FlashFile, type InitDataChoice, planFlash } from "./plan.ts";

/** Options for {@link flash}. */
export interface FlashOptions extends Omit<OpenSessionOptions, "flashSize">, RecoveryOptions {
  /** The files, each at its address (a single combined image goes at 0x0). */
  files: FlashFile[];
  /** Flash mode written into the image header at 0x0 (`keep` by default). */
  flashMode?: FlashMode | "keep";
  /** Flash frequency written into the header (`keep` by default). */
  flashFreq?: FlashFreq | "keep";
  /**
   * Flash size written into the header: `detect` (default: the detected size, because NodeMCU
   * images carry a 1 MB header that breaks the filesystem on larger chips), `keep`, or a size.
   */
  flashSize?: FlashSizeName | "detect" | "keep";
  /** Init data at flash size − 0x4000 (`none` by default). */
  initData?: InitDataChoice;
  /** `all` erases the chip first (the Lua files go too). */
  erase?: "none" | "all";
  /** Compression through the stub: `auto` (on with the stub) or `off`. */
  compress?: "auto" | "on" | "off";
  /** Fast reflash: compare with the chip and write only what differs (`auto`: with the stub). */
  diff?: "auto" | "off";
  /** What to do at the end (`hard-reset` by default). */
  after?: AfterReset;
}

/** What a flashing job did. */
export interface FlashResult {
  /** The chip. */
  chip: ChipInfo;
  /** The flash. */
  flash: FlashInfo & { sizeBytes: number; sizeSource: "detected" | "given" | "default" };
  /** Which loader did the work. */
  loader: "rom" | "stub";
  /** The final baud rate. */
  baud: number;
  /** One entry per region, in address order. */
  regions: RegionResult[];
  /** How many faults the job recovered from (each was reported as a `recovered` event). */
  recoveries: number;
  /** Whole job, seconds. */
  seconds: number;
}

/**
 * Checks a flash job without touching a board: the files (alignment, overlaps, past the end of a
 * given size) and option combinations the ROM loader cannot do. {@link flash} runs it first;
 * callers that open a port themselves run it before opening it.
 *
 * @param options the job
 * @returns the flash size given explicitly, if any
 * @throws NodeflashError (user) for a job that cannot be done
 *
 * @example
 * ```ts
 * import { checkFlashJob } from "./flash.ts";
 * import assert from "node:assert/strict";
 * const files = [{ address: 0, name: "fw.bin", data: new Uint8Array(16) }];
 * assert.equal(checkFlashJob({ files, flashSize: "1MB" }), "1MB");
 * assert.throws(() => checkFlashJob({ files, loader: "rom", compress: "on" }), /needs the flasher stub/);
 * ```
 */
export function checkFlashJob(options: FlashOptions): FlashSizeName | undefined {
  const givenSize = options.flashSize !== undefined && options.flashSize !== "detect" &&
      options.flashSize !== "keep"
    ? options.flashSize
    : undefined;
  checkFiles(options.files, givenSize ? { flashSize: flashSizeRow(givenSize) } : {});
  if (options.compress === "on" && options.loader === "rom") {
    throw userError(
      "input/compress-needs-stub",
      "Compression needs the flasher stub, but --no-stub was given",
      "Drop --no-stub, or --compress (esptool's -z).",
    );
  }
  if (options.erase === "all" && options.loader === "rom") {
    throw userError(
      "input/erase-needs-stub",
      "Erasing the whole chip needs the flasher stub, but --no-stub was given",
      "Drop --no-stub.",
    );
  }
  return givenSize;
}

/**
 * Flashes files onto a board.
 *
 * @param transport the port, open at the sync rate (115200)
 * @param options files and settings
 * @returns what was done
 * @throws NodeflashError user errors before connecting; device errors (with the address
 *   reached) after, when recovering (see `retries` and `reopen`) could not help
 */
export async function flash(transport: Transport, options: FlashOptions): Promise<FlashResult> {
  const started = performance.now();
  const givenSize = checkFlashJob(options);
  const recovery = new Recovery(transport, { ...options, flashSize: givenSize ?? "detect" });
  const ready = await recovery.open();
  const plan = planFlash(options.files, {
    flashSize: ready.size,
    headerSize: options.flashSize === "keep" ? "keep" : "set",
    flashMode: options.flashMode ?? "keep",
    flashFreq: options.flashFreq ?? "keep",
    initData: options.initData ?? { kind: "none" },
  });
  const emit = recovery.onEvent;
  if (ready.session.kind === "rom") {
    emit({
      type: "note",
      code: "rom/limits",
      message:
        `Writing through the ROM loader (--no-stub): no compression, no fast reflash, no MD5 verification, and the baud stays at ${transport.baudRate}`,
    });
  }
  if (options.erase === "all" && ready.session.kind === "stub") {
    await resumableEraseChip(recovery, { flashSize: ready.size });
  }
  const regions: RegionResult[] = [];
  for (const region of plan.regions) {
    regions.push(
      await flashRegion(recovery, region, {
        compress: options.compress !== "off",
        diff: options.diff !== "off" && options.erase !== "all",
        verify: true,
      }),
    );
  }
  const after = options.after ?? "hard-reset";
  const session = recovery.session;
  const port = recovery.transport;
  await leave(session, after, { onEvent: emit });
  // a stub left running is found again by the run's next job on this port, without a reset
  options.memory?.update(port.info.url, {
    stubBaud: after === "no-reset" && session.kind === "stub" ? port.baudRate : undefined,
  });
  return {
    chip: session.chip,
    flash: { ...ready.flash, sizeBytes: ready.size.bytes, sizeSource: ready.sizeSource },
    loader: session.kind,
    baud: port.baudRate,
    regions,
    recoveries: recovery.count,
    seconds: (performance.now() - started) / 1000,
  };
}
