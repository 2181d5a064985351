/**
 * Attaching the SPI flash and finding its size: the ROM is attached with FLASH_BEGIN(0, 0) (it
 * has no SPI_ATTACH), the stub with SPI_ATTACH; the JEDEC id read through the SPI registers gives
 * the size; the stub is then told the size with SPI_SET_PARAMS.
 *
 * @module
 */

import type { FlashInfo, Session } from "../chip/session.ts";
import { readFlashId } from "../chip/spi_flash.ts";
import { Op } from "../protocol/opcodes.ts";
import { beginRequest, spiAttachRequest, spiSetParamsRequest } from "../protocol/requests.ts";
import { ROM_WRITE_BLOCK } from "../chip/esp8266.ts";

/**
 * Attaches the flash and reads its id.
 *
 * @param session either session
 * @returns the flash id and the size it implies
 */
export async function attachFlash(session: Session): Promise<FlashInfo> {
  if (session.kind === "rom") {
    await session.conn.command(
      beginRequest(Op.FLASH_BEGIN, { size: 0, blocks: 0, blockSize: ROM_WRITE_BLOCK, offset: 0 }),
    );
  } else {
    await session.conn.command(spiAttachRequest());
  }
  return await readFlashId(session.conn);
}

/**
 * Tells the stub the flash size (ignored by the ROM path: the ESP8266 ROM has no
 * SPI_SET_PARAMS).
 *
 * @param session either session
 * @param sizeBytes the flash size
 */
export async function setFlashSize(session: Session, sizeBytes: number): Promise<void> {
  if (session.kind === "stub") await session.conn.command(spiSetParamsRequest(sizeBytes));
}
