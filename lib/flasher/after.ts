/**
 * Leaving the loader when the job is done: `hard-reset` pulses EN through RTS (with GPIO0
 * released) so the board boots the new firmware; `soft-reset` asks the loader to run the
 * firmware (FLASH_BEGIN(0,0) + FLASH_END(run) on the ROM, RUN_USER_CODE on a stub found
 * running); `no-reset` leaves the board in the loader (docs/protocol.md §4.5).
 *
 * The stub nodeflash uploads (esp-flasher-stub) does not implement RUN_USER_CODE (protocol.md
 * §4.5, §10.6: a TODO that just returns), so a soft reset through it would leave the board in
 * the stub: `soft-reset` then falls back to the hard reset with a note, as esptool does for
 * `watchdog-reset` on the ESP8266.
 *
 * @module
 */

import { ROM_WRITE_BLOCK } from "../chip/esp8266.ts";
import type { Session } from "../chip/session.ts";
import { userError } from "../errors.ts";
import { Op } from "../protocol/opcodes.ts";
import { beginRequest, flashEndRequest, runUserCodeRequest } from "../protocol/requests.ts";
import { HARD_RESET, runResetSequence } from "../protocol/reset_sequence.ts";
import type { OnFlashEvent } from "./events.ts";

/** What to do at the end. */
export type AfterReset = "hard-reset" | "soft-reset" | "no-reset";

/**
 * Parses `--after` (esptool's underscore spellings too).
 *
 * @param text the option value
 * @returns the mode
 *
 * @example
 * ```ts
 * import { parseAfter } from "./after.ts";
 * if (parseAfter("hard_reset") !== "hard-reset") throw new Error();
 * ```
 */
export function parseAfter(text: string): AfterReset {
  const t = text.trim().toLowerCase().replaceAll("_", "-");
  if (t === "hard-reset" || t === "soft-reset" || t === "no-reset") return t;
  throw userError(
    "input/after",
    `Unknown --after value '${text}'`,
    "Use hard-reset (boot the new firmware), soft-reset or no-reset.",
  );
}

/**
 * Ends the session as asked, and gives the transport's input back (so a smoke test or a
 * monitor can read the board's console afterwards).
 *
 * @param session either session
 * @param mode what to do
 * @param options events and sleep (tests)
 */
export async function leave(
  session: Session,
  mode: AfterReset,
  options: { onEvent?: OnFlashEvent; sleep?: (ms: number) => Promise<void> } = {},
): Promise<void> {
  const { conn } = session;
  if (mode === "soft-reset" && session.kind === "stub" && session.stub === "esp-flasher-stub") {
    options.onEvent?.({
      type: "note",
      code: "after/soft-reset-unsupported",
      message:
        "The flasher stub (esp-flasher-stub) cannot start the firmware itself: hard reset instead",
    });
    mode = "hard-reset";
  }
  if (mode === "hard-reset") {
    if (!conn.transport.info.modemLines) {
      options.onEvent?.({
        type: "note",
        code: "after/no-modem-lines",
        message:
          `${conn.transport.info.url} has no DTR/RTS lines: press RESET to start the new firmware`,
      });
      conn.release();
      return;
    }
    await runResetSequence(
      conn.transport,
      HARD_RESET,
      options.sleep ? { sleep: options.sleep } : {},
    );
  } else if (mode === "soft-reset") {
    if (session.kind === "stub") {
      await conn.send(runUserCodeRequest()); // a stub found running may be the legacy one
    } else {
      await conn.command(
        beginRequest(Op.FLASH_BEGIN, { size: 0, blocks: 0, blockSize: ROM_WRITE_BLOCK, offset: 0 }),
      );
      await conn.send(flashEndRequest(Op.FLASH_END, { reboot: false }));
    }
  }
  options.onEvent?.({ type: "reset", mode });
  conn.release();
}
