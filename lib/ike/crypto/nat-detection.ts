/**
 * NAT detection (RFC 7296 section 2.23): SHA-1(SPIi | SPIr | IP address | port). A mismatch between what
 * the peer hashed and what we see means a NAT sits in between and both sides float to UDP 4500.
 */
import { createHash } from 'node:crypto';
import { ipToBytes } from '../../net/address';

export function natDetectionHash(spiI: Buffer, spiR: Buffer, address: string, port: number): Buffer {
  const ip = ipToBytes(address);
  if (!ip) throw new Error(`NAT detection needs an IP address, not ${JSON.stringify(address)}`);
  const p = Buffer.alloc(2);
  p.writeUInt16BE(port);
  return createHash('sha1').update(spiI).update(spiR).update(ip).update(p).digest();
}
