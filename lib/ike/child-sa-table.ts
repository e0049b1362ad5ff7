/**
 * The ESP side of an IKE SA: installs each CHILD_SA from the events into the ESP engine and picks the
 * outbound SA. After a rekey the new CHILD_SA is used outbound only once it has carried inbound traffic or
 * the old one is deleted: the peer installs its inbound half only when it has the answer to its request
 * (RFC 7296 section 2.8), so sending on the new SA at once loses packets.
 */
import { EspSa } from '../esp/esp-sa';
import { SaDatabase } from '../esp/sa-database';
import type { DecapResult } from '../esp/types';
import type { IkeEvent } from './events';

export class ChildSaTable {
  private readonly inbound = new SaDatabase();
  private current?: EspSa;
  private next?: { readonly inboundSpi: number; readonly sa: EspSa };

  /** The SA to encapsulate with now, if any CHILD_SA is up. */
  get outbound(): EspSa | undefined {
    return this.current;
  }

  /** Feeds one event of the IKE SA (others are ignored). */
  apply(event: IkeEvent): void {
    if (event.type === 'child-up') {
      this.inbound.add(new EspSa(event.child.inbound));
      const sa = new EspSa(event.child.outbound);
      if (this.current) this.next = { inboundSpi: event.child.inbound.spi, sa };
      else this.current = sa;
    } else if (event.type === 'child-deleted') {
      this.inbound.remove(event.inboundSpi);
      if (this.next?.inboundSpi === event.inboundSpi) this.next = undefined;
      if (this.current?.spi === event.outboundSpi) {
        this.current = this.next?.sa;
        this.next = undefined;
      }
    } else if (event.type === 'deleted') {
      this.current = undefined;
      this.next = undefined;
    }
  }

  /** Opens bare ESP (SPI onwards, as UDP 4500 carries it); traffic on a rekeyed SA makes it the outbound one. */
  decapsulate(packet: Buffer): DecapResult {
    const result = this.inbound.decapsulatePayload(packet);
    if (result.ok && this.next && packet.readUInt32BE(0) === this.next.inboundSpi) {
      this.current = this.next.sa;
      this.next = undefined;
    }
    return result;
  }
}
