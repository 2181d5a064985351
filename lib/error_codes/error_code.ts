/**
 * One row of the error-code table: a code nodeflash reports, whether it is the user's input or the
 * device (or a warning or note that does not stop the job), what it means and what to do.
 *
 * @module
 */

/** How a code is reported: an error of the user (exit 2) or the device (exit 1), or not an error. */
export type ErrorCodeKind = "user" | "device" | "warning" | "note";

/** One code and what it means. */
export interface ErrorCode {
  /** The stable code, `area/what` (`connect/no-sync`). */
  code: string;
  /** How it is reported. */
  kind: ErrorCodeKind;
  /** What happened, in general (the message of each error says what on what). */
  meaning: string;
  /** What to do, in general (each error's own hint may say more). */
  hint: string;
  /** The section of docs/troubleshooting.md that explains it, if any (its anchor). */
  troubleshooting?: string;
}
