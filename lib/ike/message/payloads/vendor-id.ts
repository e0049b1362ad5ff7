/** The Vendor ID payload (RFC 7296 section 3.12): opaque bytes, usually a hash naming the implementation. */

export interface VendorIdPayload {
  readonly data: Buffer;
}

export function decodeVendorId(bytes: Buffer): VendorIdPayload {
  return { data: Buffer.from(bytes) };
}

export function encodeVendorId(v: VendorIdPayload): Buffer {
  return v.data;
}
