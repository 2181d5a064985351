/**
 * Parses the `owner/repo@release` references the CLI accepts
 * (`nodeflash flash --release nodemcu/nodemcu-firmware@3.0.0-release_20240225 --asset '*.bin'`).
 *
 * @module
 */

import { userError } from "../errors.ts";
import type { ReleaseSelector, Repository } from "./types.ts";

/** A parsed reference: which repository and which of its releases. */
export interface ReleaseRef {
  /** The repository. */
  repository: Repository;
  /** The release in it. */
  release: ReleaseSelector;
}

const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const REF_HINT =
  "Write owner/repo, owner/repo@latest, owner/repo@<tag> or owner/repo@id:<number> " +
  "(use @tag:<name> for a tag literally named 'latest' or starting with 'id:').";

/**
 * Parses `owner/repo`.
 *
 * @param text e.g. `"nodemcu/nodemcu-firmware"`
 * @returns the repository
 *
 * @example
 * ```ts
 * import { parseRepository } from "./release_ref.ts";
 * const r = parseRepository("nodemcu/nodemcu-firmware");
 * if (r.owner !== "nodemcu" || r.repo !== "nodemcu-firmware") throw new Error();
 * ```
 */
export function parseRepository(text: string): Repository {
  const parts = text.trim().split("/");
  const [owner, repo] = parts;
  if (
    parts.length !== 2 || owner === undefined || repo === undefined || !OWNER.test(owner) ||
    !REPO.test(repo) || repo === "." || repo === ".."
  ) {
    throw userError(
      "release/bad-repository",
      `'${text.slice(0, 120)}' is not a GitHub repository name`,
      "Write it as owner/repo, e.g. nodemcu/nodemcu-firmware.",
    );
  }
  return { owner, repo };
}

/** Why a tag name is not a valid git tag, or `undefined`. */
function tagProblem(tag: string): string | undefined {
  if (tag.length === 0) return "it is empty";
  if (tag.length > 250) return "it is too long";
  for (const char of tag) {
    const code = char.codePointAt(0)!;
    if (code <= 0x20 || code === 0x7f || "~^:?*[\\".includes(char)) {
      return "it contains a space or a character git forbids";
    }
  }
  if (tag.includes("..") || tag.includes("@{") || tag.includes("//") || tag === "@") {
    return "it contains a sequence git forbids";
  }
  if (/^[/.]|[/.]$|\.lock$/.test(tag)) {
    return "it starts or ends with '/' or '.', or ends with .lock";
  }
  return undefined;
}

/**
 * Checks a tag name as git would, returning it unchanged.
 *
 * @param tag e.g. `"v1.2.3"`
 * @returns the tag
 *
 * @example
 * ```ts
 * import { checkTagName } from "./release_ref.ts";
 * if (checkTagName("3.0.0-release_20240225") !== "3.0.0-release_20240225") throw new Error();
 * ```
 */
export function checkTagName(tag: string): string {
  const problem = tagProblem(tag);
  if (problem !== undefined) {
    throw userError(
      "release/bad-tag",
      `'${tag.slice(0, 120)}' is not a valid tag name: ${problem}`,
      REF_HINT,
    );
  }
  return tag;
}

function parseSelector(text: string, whole: string): ReleaseSelector {
  if (text === "latest") return { kind: "latest" };
  if (text.startsWith("tag:")) return { kind: "tag", tag: checkTagName(text.slice(4)) };
  if (text.startsWith("id:")) {
    const digits = text.slice(3);
    const id = Number(digits);
    if (!/^[0-9]{1,15}$/.test(digits) || !Number.isSafeInteger(id) || id <= 0) {
      throw userError(
        "release/bad-release-ref",
        `'${whole.slice(0, 120)}' has a release id that is not a positive number`,
        REF_HINT,
      );
    }
    return { kind: "id", id };
  }
  return { kind: "tag", tag: checkTagName(text) };
}

/**
 * Parses `owner/repo`, `owner/repo@latest`, `owner/repo@<tag>`, `owner/repo@tag:<tag>` or
 * `owner/repo@id:<release id>`. A bare number after `@` is a tag name (tags such as `2024`
 * exist); ids need the `id:` prefix. Bad input is a user error.
 *
 * @param text the reference
 * @returns repository and release selector
 *
 * @example
 * ```ts
 * import { parseReleaseRef } from "./release_ref.ts";
 * const ref = parseReleaseRef("nodemcu/nodemcu-firmware@3.0.0-release_20240225");
 * if (ref.release.kind !== "tag" || ref.release.tag !== "3.0.0-release_20240225") {
 *   throw new Error();
 * }
 * if (parseReleaseRef("nodemcu/nodemcu-firmware").release.kind !== "latest") throw new Error();
 * ```
 */
export function parseReleaseRef(text: string): ReleaseRef {
  const trimmed = text.trim();
  const at = trimmed.indexOf("@");
  if (at < 0) return { repository: parseRepository(trimmed), release: { kind: "latest" } };
  const repository = parseRepository(trimmed.slice(0, at));
  const rest = trimmed.slice(at + 1);
  if (rest.length === 0) {
    throw userError(
      "release/bad-release-ref",
      `'${trimmed.slice(0, 120)}' names no release after '@'`,
      REF_HINT,
    );
  }
  return { repository, release: parseSelector(rest, trimmed) };
}
