/**
 * Opens a `--log FILE` (smoke, `flash --smoke`, monitor, sim) before the port is opened, so a bad
 * path is a one-line usage error and never an internal error after the board was flashed.
 *
 * @module
 */

import { userError } from "../../mod.ts";

/**
 * Opens a log file, creating it when missing: emptied first (`truncate`, the default: smoke,
 * monitor), or added to (`append`: sim).
 *
 * @param path the file
 * @param options `truncate` or `append`
 * @returns the open file
 * @throws a user error `cli/log-file` naming the file and why it cannot be opened
 *
 * @example
 * ```ts
 * import { openLogFile } from "./log_file.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => openLogFile("/nonexistent-dir/boot.log"), { code: "cli/log-file" });
 * ```
 */
export function openLogFile(
  path: string,
  options: { mode?: "truncate" | "append" } = {},
): Deno.FsFile {
  const append = options.mode === "append";
  try {
    return Deno.openSync(path, { write: true, create: true, append, truncate: !append });
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    const why = e instanceof Deno.errors.NotFound
      ? "its folder does not exist"
      : e instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : e instanceof Deno.errors.IsADirectory
      ? "it is a folder"
      : e instanceof Error
      ? e.message
      : String(e);
    throw userError(
      "cli/log-file",
      `Cannot open the log file ${path}: ${why}`,
      "Give --log a file in a folder you can write to.",
      { cause: e },
    );
  }
}
