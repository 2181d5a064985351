/**
 * Asset names come from whoever uploaded the release: they are never used as paths. A name is
 * accepted as a local file name only if it is one plain, portable path component; anything else
 * is refused (not rewritten), so the file on disk always has the name the user saw.
 *
 * @module
 */

import { userError } from "../errors.ts";

/** Windows device names, refused with any extension (`CON`, `nul.bin`...). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Characters that are path separators or invalid in file names on some platform. */
const FORBIDDEN = /[/\\<>:"|?*]/;
/** Longest name most file systems accept, in UTF-8 bytes. */
const MAX_BYTES = 255;

/** Why a name is unsafe, or `undefined` when it is fine. */
function problemWith(name: string): string | undefined {
  if (name.length === 0) return "it is empty";
  if (name === "." || name === "..") return "it names a directory";
  for (const char of name) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return "it contains a control character";
  }
  if (FORBIDDEN.test(name)) return "it contains a path separator or a reserved character";
  if (name.startsWith(".")) return "it starts with a dot";
  if (/[. ]$/.test(name)) return "it ends with a dot or a space";
  if (RESERVED.test(name)) return "it is a reserved device name on Windows";
  if (new TextEncoder().encode(name).length > MAX_BYTES) return "it is longer than 255 bytes";
  return undefined;
}

/**
 * Returns the name unchanged when it is a safe local file name; throws a user error
 * (`release/unsafe-asset-name`) otherwise: path separators, `..`, absolute paths, drive
 * letters, NUL and other control characters, reserved Windows names and over-long names.
 *
 * @param name the asset name
 * @returns the same name
 *
 * @example
 * ```ts
 * import { safeFileName } from "./safe_file_name.ts";
 * if (safeFileName("nodemcu-float.bin") !== "nodemcu-float.bin") throw new Error();
 * let refused = false;
 * try {
 *   safeFileName("../../etc/passwd");
 * } catch {
 *   refused = true;
 * }
 * if (!refused) throw new Error("a traversal was accepted");
 * ```
 */
export function safeFileName(name: string): string {
  const problem = problemWith(name);
  if (problem !== undefined) {
    throw userError(
      "release/unsafe-asset-name",
      `The asset name ${JSON.stringify(name.slice(0, 80))} is not a safe file name: ${problem}`,
      "Choose the local file name yourself (the fileName option, --output in the CLI).",
    );
  }
  return name;
}
