/**
 * The command table: every command of the CLI, in the order `--help` lists them.
 *
 * @module
 */

import type { Command } from "./command.ts";
import { backupCommand, readCommand } from "./commands/read.ts";
import { eraseCommand, eraseRegionCommand } from "./commands/erase.ts";
import { flashCommand } from "./commands/flash.ts";
import { infoCommand } from "./commands/info.ts";
import { restoreCommand } from "./commands/restore.ts";
import { smokeCommand } from "./commands/smoke.ts";
import { portsCommand } from "./commands/ports.ts";
import { demoCommand } from "./commands/demo.ts";
import { simCommand } from "./commands/sim.ts";
import { imageInfoCommand } from "./commands/image_info.ts";
import { mergeCommand } from "./commands/merge.ts";
import { monitorCommand } from "./commands/monitor.ts";
import { uploadCommand } from "./commands/upload.ts";
import { syncCommand } from "./commands/sync.ts";
import { filesCommand } from "./commands/files.ts";
import { catCommand } from "./commands/cat.ts";
import { rmCommand } from "./commands/rm.ts";
import { runCommand } from "./commands/run.ts";
import { lfsCommand } from "./commands/lfs.ts";
import { testCommand } from "./commands/test.ts";

/** All commands. */
export const COMMANDS: readonly Command[] = [
  flashCommand,
  eraseCommand,
  eraseRegionCommand,
  readCommand,
  backupCommand,
  restoreCommand,
  infoCommand,
  smokeCommand,
  portsCommand,
  simCommand,
  demoCommand,
  imageInfoCommand,
  mergeCommand,
  monitorCommand,
  uploadCommand,
  syncCommand,
  filesCommand,
  catCommand,
  rmCommand,
  runCommand,
  lfsCommand,
  testCommand,
];
