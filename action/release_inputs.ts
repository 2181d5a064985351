/**
 * The Action's inputs that say where the firmware comes from: `repository`, `release`,
 * `firmware` and `init-data` (a release asset by glob, or a file in the workspace).
 *
 * @module
 */

import { isNodeflashError } from "../mod.ts";
import { parseReleaseRef } from "../lib/release/mod.ts";
import { inputError, viaInput } from "./input_error.ts";

/** Which release the firmware comes from; `triggering` is the `release` event of the run. */
export type ReleaseChoice =
  | { kind: "latest" }
  | { kind: "tag"; tag: string }
  | { kind: "id"; id: number }
  | { kind: "triggering" };

/** A file to flash: a release asset (by glob) or a file in the workspace. */
export type FileSource = { kind: "asset"; glob: string } | { kind: "path"; path: string };

/** Init data: none, the SDK's default bytes, or a file from the release or the workspace. */
export type InitDataSource = { kind: "none" } | { kind: "default" } | FileSource;

/**
 * The `repository` input: `owner/repo`, or `undefined` when empty (the release event names it).
 *
 * @param text the input, trimmed
 * @returns `owner/repo` or `undefined`
 * @throws a user error `input/repository`
 *
 * @example
 * ```ts
 * import { parseRepositoryInput } from "./release_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseRepositoryInput("nodemcu/nodemcu-firmware"), "nodemcu/nodemcu-firmware");
 * assert.equal(parseRepositoryInput(""), undefined);
 * assert.throws(() => parseRepositoryInput("a/b@v1"), { code: "input/repository" });
 * ```
 */
export function parseRepositoryInput(text: string): string | undefined {
  if (text === "") return undefined;
  if (text.includes("@")) {
    throw inputError(
      "repository",
      `'${text}' is not owner/repo`,
      "Name the release with the 'release' input, not with '@' here.",
    );
  }
  const ref = viaInput("repository", () => parseReleaseRef(text));
  return `${ref.repository.owner}/${ref.repository.repo}`;
}

const RELEASE_HINT = "Write latest, a tag (v1.2.3, or tag:latest for a tag named 'latest'), " +
  "id:<number>, or leave it empty to use the release that triggered the workflow.";

/**
 * The `release` input: latest, a tag, `id:<number>`, or empty for the triggering release.
 *
 * @param text the input, trimmed
 * @returns the choice
 * @throws a user error `input/release`
 *
 * @example
 * ```ts
 * import { parseReleaseInput } from "./release_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseReleaseInput(""), { kind: "triggering" });
 * assert.deepEqual(parseReleaseInput("v3.0.0"), { kind: "tag", tag: "v3.0.0" });
 * assert.deepEqual(parseReleaseInput("id:42"), { kind: "id", id: 42 });
 * ```
 */
export function parseReleaseInput(text: string): ReleaseChoice {
  if (text === "") return { kind: "triggering" };
  let selector;
  try {
    selector = parseReleaseRef(`release/input@${text}`).release;
  } catch (e) {
    if (!isNodeflashError(e)) throw e;
    const why = /: ([^:]*)$/.exec(e.message)?.[1];
    throw inputError(
      "release",
      `'${text}' is not latest, a tag or id:<number>${why === undefined ? "" : ` (${why})`}`,
      RELEASE_HINT,
    );
  }
  if (selector.kind === "latest") return { kind: "latest" };
  if (selector.kind === "id") return { kind: "id", id: selector.id };
  if (selector.kind === "tag") return { kind: "tag", tag: selector.tag };
  throw inputError("release", `'${text}' is not a release`, RELEASE_HINT);
}

/** A value that names a file in the workspace rather than a release asset. */
function isPath(text: string): boolean {
  return text.includes("/") || text.includes("\\");
}

function parseFileSource(name: "firmware" | "init-data", text: string): FileSource {
  if (isPath(text)) {
    if (text.split(/[/\\]/).includes("..") || text.startsWith("/") || /^[A-Za-z]:/.test(text)) {
      throw inputError(
        name,
        `'${text}' leaves the workspace`,
        "Give a path relative to the workspace, e.g. ./build/nodemcu.bin.",
      );
    }
    return { kind: "path", path: text };
  }
  if (/[\s]/.test(text)) {
    throw inputError(
      name,
      `'${text}' contains white space`,
      "Give one asset glob such as '*-float.bin', or a workspace path such as ./fw.bin.",
    );
  }
  return { kind: "asset", glob: text };
}

/**
 * The `firmware` input: an asset glob, or a workspace path when it has a slash.
 *
 * @param text the input, trimmed
 * @returns where the firmware comes from
 * @throws a user error `input/firmware`
 *
 * @example
 * ```ts
 * import { parseFirmwareInput } from "./release_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseFirmwareInput("*-float.bin"), { kind: "asset", glob: "*-float.bin" });
 * assert.deepEqual(parseFirmwareInput("./fw.bin"), { kind: "path", path: "./fw.bin" });
 * assert.throws(() => parseFirmwareInput("../fw.bin"), { code: "input/firmware" });
 * ```
 */
export function parseFirmwareInput(text: string): FileSource {
  if (text === "") {
    throw inputError(
      "firmware",
      "is required",
      "Give a release asset glob such as '*-float.bin', or a workspace path such as ./bin/nodemcu.bin.",
    );
  }
  return parseFileSource("firmware", text);
}

/**
 * The `init-data` input: empty or `none`, `default`, an asset glob or a workspace path.
 *
 * @param text the input, trimmed
 * @returns where the init data comes from
 * @throws a user error `input/init-data`
 *
 * @example
 * ```ts
 * import { parseInitDataInput } from "./release_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseInitDataInput(""), { kind: "none" });
 * assert.deepEqual(parseInitDataInput("DEFAULT"), { kind: "default" });
 * ```
 */
export function parseInitDataInput(text: string): InitDataSource {
  const lower = text.toLowerCase();
  if (text === "" || lower === "none") return { kind: "none" };
  if (lower === "default") return { kind: "default" };
  return parseFileSource("init-data", text);
}
