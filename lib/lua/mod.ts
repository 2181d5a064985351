/**
 * The board's Lua side over its console: a REPL session reached through the smoke layer's
 * prompt probe, verified file transfers (upload under a temporary name and rename, download
 * through `uart.write`), sync of changed files, running a file, loading an LFS image, on-board
 * tests with TAP results and JUnit XML, and a faster console rate for the transfers.
 *
 * ```ts ignore
 * import { openTransport } from "@x/nodeflash";
 * import { openLuaSession, readLocalDir, syncFiles } from "@x/nodeflash/lua";
 * const port = await openTransport("/dev/ttyUSB0", { baudRate: 115200 });
 * const session = await openLuaSession(port);
 * await syncFiles(session, await readLocalDir("src"));
 * session.close();
 * await port.close();
 * ```
 *
 * @module
 */

export { type LuaEvent, type LuaEventHandler, type TestStatus } from "./lua_event.ts";
export { LuaSession, type LuaSessionOptions, openLuaSession } from "./lua_session.ts";
export type { BoardFacts } from "./board_facts.ts";
export { boardDigest, type DigestKind } from "./board_digest.ts";
export { checkFileName, MAX_NAME_BYTES, UPLOAD_TEMP_NAME } from "./file_name.ts";
export { checkLuaSource, type LocalFile, readLocalDir, readLocalFile } from "./local_files.ts";
export { expandGlobs } from "./local_glob.ts";
export { uploadFile, type UploadOptions, type UploadResult } from "./upload_file.ts";
export { downloadFile, type DownloadResult } from "./download_file.ts";
export {
  type BoardDigest,
  boardDigests,
  type BoardFile,
  type BoardListing,
  listFiles,
  removeFiles,
  type RemoveOptions,
} from "./board_files.ts";
export { syncFiles, type SyncOptions, type SyncResult } from "./sync_files.ts";
export { runFile, type RunOptions, type RunResult } from "./run_file.ts";
export {
  runTests,
  type RunTestsOptions,
  type TestCaseResult,
  type TestFileResult,
} from "./run_tests.ts";
export {
  parseTap,
  sourceLocation,
  tapComplete,
  type TapReport,
  type TapResult,
} from "./tap_parser.ts";
export { junitXml } from "./junit_xml.ts";
export { checkLfsImage, type LfsOptions, type LfsResult, loadLfs } from "./load_lfs.ts";
export {
  checkConsoleBaud,
  CONSOLE_BAUDS,
  switchConsoleBaud,
  withConsoleBaud,
} from "./console_baud.ts";
export { ReplSession, type ReplSessionOptions, type StreamOptions } from "./repl_session.ts";
export { type LiteralPiece, luaQuote, luaStringPiece } from "./lua_literal.ts";
export type { HelperGroup } from "./board_helpers.ts";
export type {
  BannerFields,
  Diagnosis,
  SmokeEvent,
  SmokePhase,
  SmokeReset,
  SmokeResult,
  SmokeTiming,
} from "../smoke/mod.ts";
export type { Signals, Transport, TransportInfo, UsbInfo } from "../transport/types.ts";
