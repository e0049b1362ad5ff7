/**
 * Output buffers for built packets, carved from 64 KiB slabs.
 *
 * Buffer.allocUnsafe slices Node's 8 KiB pool and so allocates a fresh ArrayBuffer every five full-size
 * packets; a larger slab cuts that eightfold, which the encapsulation profile showed to matter. Callers
 * must write every byte they are given. A slab lives as long as any packet cut from it.
 */
const SLAB_SIZE = 64 * 1024;
const LARGEST_SLICE = 16 * 1024;

let slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
let used = 0;

export function allocPacket(length: number): Buffer {
  if (length > LARGEST_SLICE) return Buffer.allocUnsafeSlow(length);
  if (used + length > SLAB_SIZE) {
    slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
    used = 0;
  }
  const packet = slab.subarray(used, used + length);
  used += (length + 7) & ~7; // keep slices 8-byte aligned
  return packet;
}
