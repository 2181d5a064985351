/**
 * Reads GitHub's release and asset JSON (from the REST API or a `release` event payload) into
 * the narrow {@link ReleaseInfo}/{@link AssetInfo} shapes, checking every field it keeps: the
 * JSON comes from the network and is not trusted.
 *
 * @module
 */

import { deviceError } from "../errors.ts";
import type { AssetInfo, ReleaseInfo } from "./types.ts";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function malformed(what: string, field: string): Error {
  return deviceError(
    "release/bad-response",
    `GitHub sent a ${what} without a valid '${field}' field`,
    "Check that the API URL points at GitHub or GitHub Enterprise Server, then try again.",
  );
}

function field<T>(
  json: Json,
  name: string,
  what: string,
  check: (value: unknown) => value is T,
): T {
  const value = json[name];
  if (!check(value)) throw malformed(what, name);
  return value;
}

const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isSize = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isString = (v: unknown): v is string => typeof v === "string";
const isBoolean = (v: unknown): v is boolean => typeof v === "boolean";
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === "string";
const isOptionalNullableString = (v: unknown): v is string | null | undefined =>
  v === undefined || isNullableString(v);

/**
 * Reads one asset object. A missing `digest` (older GitHub Enterprise Server) reads as `null`;
 * an unknown `state` reads as `"open"` (not ready).
 *
 * @param json the asset JSON
 * @returns the asset
 *
 * @example
 * ```ts
 * import { parseAsset } from "./release_info.ts";
 * const a = parseAsset({ id: 7, name: "fw.bin", size: 3, state: "uploaded", digest: null,
 *   content_type: "application/octet-stream" });
 * if (a.id !== 7 || a.digest !== null || a.state !== "uploaded") throw new Error();
 * ```
 */
export function parseAsset(json: unknown): AssetInfo {
  if (!isObject(json)) throw malformed("release asset", "id");
  const what = "release asset";
  const contentType = json["content_type"];
  return {
    id: field(json, "id", what, isId),
    name: field(json, "name", what, isString),
    size: field(json, "size", what, isSize),
    state: json["state"] === "uploaded" ? "uploaded" : "open",
    digest: field(json, "digest", what, isOptionalNullableString) ?? null,
    contentType: typeof contentType === "string" ? contentType : "application/octet-stream",
  };
}

/**
 * Reads one release object, assets included.
 *
 * @param json the release JSON
 * @returns the release
 *
 * @example
 * ```ts
 * import { parseRelease } from "./release_info.ts";
 * const r = parseRelease({ id: 1, tag_name: "v1", name: null, draft: false, prerelease: false,
 *   created_at: "2024-02-25T10:00:00Z", published_at: "2024-02-25T10:05:00Z", assets: [] });
 * if (r.tag !== "v1" || r.assets.length !== 0) throw new Error();
 * ```
 */
export function parseRelease(json: unknown): ReleaseInfo {
  if (!isObject(json)) throw malformed("release", "id");
  const what = "release";
  const assets = field(json, "assets", what, Array.isArray);
  return {
    id: field(json, "id", what, isId),
    tag: field(json, "tag_name", what, isString),
    name: field(json, "name", what, isOptionalNullableString) ?? null,
    draft: field(json, "draft", what, isBoolean),
    prerelease: field(json, "prerelease", what, isBoolean),
    createdAt: field(json, "created_at", what, isString),
    publishedAt: field(json, "published_at", what, isOptionalNullableString) ?? null,
    assets: assets.map(parseAsset),
  };
}
