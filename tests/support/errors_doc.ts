/**
 * Writes docs/errors.md from the error-code table (`deno task errors-doc`).
 */

import { ERROR_CODES } from "../../lib/error_codes/error_codes.ts";
import { errorsMarkdown } from "../../lib/error_codes/errors_markdown.ts";

/** Where the document goes. */
export const ERRORS_DOC = new URL("../../docs/errors.md", import.meta.url);

if (import.meta.main) {
  await Deno.writeTextFile(ERRORS_DOC, errorsMarkdown(ERROR_CODES));
}
