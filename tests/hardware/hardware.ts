/**
 * The hardware suites' common part: the board's port from `NODEFLASH_HW_PORT`, and a test
 * function that runs only when it is set (skipped otherwise, saying so once). See
 * docs/hardware-runner.md, section 9.
 */

/** The board's port (`/dev/ttyUSB0`, `/dev/serial/by-path/...`, `COM3`, `rfc2217://...`). */
export const HW_PORT = Deno.env.get("NODEFLASH_HW_PORT") ?? "";

/** A NodeMCU image to flash before the smoke suite (`NODEFLASH_HW_FIRMWARE`), if given. */
export const HW_FIRMWARE = Deno.env.get("NODEFLASH_HW_FIRMWARE") ?? "";

const SKIPPED = "skipped: set NODEFLASH_HW_PORT to a board's port (docs/hardware-runner.md)";

if (HW_PORT === "") {
  // deno-lint-ignore no-console -- the suite says why it skips
  console.log(`hardware suites ${SKIPPED}`);
}

/**
 * A test against the real board; ignored, with the reason in its name, without a port.
 *
 * @param name what it checks
 * @param fn the test
 */
export function hardwareTest(name: string, fn: () => Promise<void>): void {
  Deno.test({
    name: HW_PORT === "" ? `${name} (${SKIPPED})` : `${name} [${HW_PORT}]`,
    ignore: HW_PORT === "",
    // Real boards take their time: the sanitizers stay on, the timers are the library's own.
    fn,
  });
}
