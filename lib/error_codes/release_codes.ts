/**
 * Firmware from GitHub releases.
 *
 * Rows of the error-code table (./error_codes.ts); add a code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** Firmware from GitHub releases. */
export const RELEASE_CODES: readonly ErrorCode[] = [
  {
    code: "release/bad-repository",
    kind: "user",
    meaning: "The repository is not owner/repo.",
    hint: "Write it as owner/repo, e.g. nodemcu/nodemcu-firmware.",
  },
  {
    code: "release/bad-release-ref",
    kind: "user",
    meaning: "The release reference is malformed (a bad id, an empty tag).",
    hint: "Write owner/repo@latest, owner/repo@TAG or owner/repo@id:NUMBER.",
  },
  {
    code: "release/bad-tag",
    kind: "user",
    meaning: "The tag is not a valid tag name.",
    hint: "Check the tag as GitHub shows it.",
  },
  {
    code: "release/bad-asset-pattern",
    kind: "user",
    meaning: "The asset pattern is not a valid glob.",
    hint: "Use * for any run of characters, ? for one, [abc] for a set, {a,b} for alternatives.",
  },
  {
    code: "release/bad-api-url",
    kind: "user",
    meaning: "The API URL is not a URL.",
    hint: "Use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.",
  },
  {
    code: "release/insecure-api-url",
    kind: "user",
    meaning: "A token would be sent over plain http.",
    hint: "Use the https:// URL of the API.",
  },
  {
    code: "release/bad-credentials",
    kind: "user",
    meaning: "GitHub rejected the token.",
    hint: "Check that the token (--token or GITHUB_TOKEN) is valid and has not expired.",
  },
  {
    code: "release/forbidden",
    kind: "user",
    meaning: "GitHub refused access with this token.",
    hint: "Give a token that can read the repository's releases.",
  },
  {
    code: "release/not-found",
    kind: "user",
    meaning: "The repository, tag or release id was not found.",
    hint: "Check the repository, tag or id; a private repository needs a token.",
  },
  {
    code: "release/no-matching-asset",
    kind: "user",
    meaning: "No asset of the release matches the pattern.",
    hint: "Pick one of the listed names; a glob such as '*-float.bin' works.",
  },
  {
    code: "release/ambiguous-asset",
    kind: "user",
    meaning: "Several assets match the pattern.",
    hint: "Make the pattern match exactly one of the listed names.",
  },
  {
    code: "release/no-repository",
    kind: "user",
    meaning: "No repository was given and the release event names none.",
    hint: "Pass the repository (owner/repo).",
  },
  {
    code: "release/event-repository-mismatch",
    kind: "user",
    meaning: "The release event is for another repository than the one given.",
    hint: "Leave the repository out, or name the release explicitly.",
  },
  {
    code: "release/not-a-release-event",
    kind: "user",
    meaning: "The workflow's event payload has no release.",
    hint: "Trigger the workflow with on: release, or name a tag or latest.",
  },
  {
    code: "release/no-destination",
    kind: "user",
    meaning: "Neither a destination folder nor a cache folder was given.",
    hint: "Pass destDir, cacheDir, or both.",
  },
  {
    code: "release/unsafe-asset-name",
    kind: "user",
    meaning: "The asset's name is not safe as a local file name.",
    hint: "Choose the local file name yourself (--output).",
  },
  {
    code: "release/cache-unwritable",
    kind: "user",
    meaning: "The release cache folder cannot be created or written.",
    hint: "Make the cache folder writable, or point XDG_CACHE_HOME (or --cache-dir) elsewhere.",
  },
  {
    code: "release/rate-limited",
    kind: "device",
    meaning: "GitHub's API rate limit is exhausted.",
    hint: "Wait until it resets, or pass a token: authenticated requests get a higher limit.",
  },
  {
    code: "release/unavailable",
    kind: "device",
    meaning: "GitHub could not be reached.",
    hint: "Check the network and the API URL, then try again.",
  },
  {
    code: "release/http-error",
    kind: "device",
    meaning: "GitHub answered with an HTTP error.",
    hint: "Try again later; check the API URL.",
  },
  {
    code: "release/request-failed",
    kind: "device",
    meaning: "A request to GitHub failed.",
    hint: "Check the network, then try again.",
  },
  {
    code: "release/bad-response",
    kind: "device",
    meaning: "GitHub's answer lacks a field it should have.",
    hint: "Check that the API URL points at GitHub or GitHub Enterprise Server.",
  },
  {
    code: "release/asset-not-ready",
    kind: "device",
    meaning: "The asset is still uploading.",
    hint: "Run again once the release's uploads have finished.",
  },
  {
    code: "release/connection-lost",
    kind: "device",
    meaning: "The connection broke during the download; the partial file was deleted.",
    hint: "Try again.",
  },
  {
    code: "release/truncated",
    kind: "device",
    meaning: "The download ended before the asset's size.",
    hint: "Try again.",
  },
  {
    code: "release/size-mismatch",
    kind: "device",
    meaning: "The download is larger than the asset's size.",
    hint: "Try again; report it if it repeats.",
  },
  {
    code: "release/digest-mismatch",
    kind: "device",
    meaning: "The download's SHA-256 does not match GitHub's digest; the file was deleted.",
    hint: "Try again, and report it to the release's maintainers if it repeats.",
  },
  {
    code: "release/bad-digest",
    kind: "device",
    meaning: "GitHub gave a malformed digest for the asset.",
    hint: "Report it to the release's maintainers; the asset cannot be verified.",
  },
];
