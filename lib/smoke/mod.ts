/**
 * The post-flash smoke test: after flashing, reset the board into NodeMCU, capture its boot log,
 * prove its Lua prompt computes an answer, and otherwise say why not (see {@link runSmokeTest}).
 * The parsers and the diagnosis are pure and usable on a saved log.
 *
 * @module
 */

export {
  type ResetRunner,
  runSmokeTest,
  type SmokeReset,
  type SmokeResult,
  type SmokeTestOptions,
} from "./smoke.ts";
export type { SmokeEvent, SmokeEventHandler } from "./smoke_event.ts";
export { DEFAULT_SMOKE_TIMING, type SmokeTiming } from "./watch_boot.ts";
export { bootPhase, laterPhase, shownPhases, SMOKE_PHASES, type SmokePhase } from "./phase.ts";
export { type BootLog, endsWithPrompt, type FormatProgress, parseBootLog } from "./boot_log.ts";
export { findLuaErrors, type LuaErrorReport } from "./lua_errors.ts";
export { bootWarnings } from "./boot_warnings.ts";
export { type BannerFields, type BannerMatch, findBanners, parseBanner } from "./banner.ts";
export { parseRomLog, type RomLoad, type RomLog } from "./rom_log.ts";
export {
  bootModeKind,
  describeBootMode,
  describeRstCause,
  findRomBoots,
  type RomBoot,
} from "../chip/rom_boot.ts";
export {
  findSignatures,
  SIGNATURE_RULES,
  type SignatureId,
  type SignatureMatch,
  type SignatureRule,
} from "./signatures.ts";
export {
  type BootStop,
  diagnose,
  type DiagnoseContext,
  type Diagnosis,
  diagnosisError,
  type DiagnosisRule,
  fatalSign,
  type ProbeFailure,
} from "./diagnose.ts";
export { consoleText, looksGarbled, noiseCount } from "./console_text.ts";
export {
  DEFAULT_ROM_WINDOW,
  ROM_BAUD,
  RomWindow,
  romWindowEnd,
  type RomWindowHeard,
  type RomWindowTiming,
} from "./rom_window.ts";

// Types the API above refers to.
export type { ErrorKind, NodeflashError } from "../errors.ts";
export type { Signals, Transport, TransportInfo, UsbInfo } from "../transport/types.ts";
