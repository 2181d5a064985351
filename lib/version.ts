/**
 * The package version, read from deno.json so there is one source of truth.
 *
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };

/** nodeflash's version. */
export const VERSION: string = denoJson.version;
