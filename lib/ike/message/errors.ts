/**
 * Why a message did not parse. Parsers inside this folder throw {@link MessageError}; the public edges
 * (`parseMessage`, `parsePayloadChain`, `decodePayload`) catch it and return a {@link Parsed} value, so a
 * malformed datagram is an ordinary result, never an exception.
 */

export type MessageErrorCode =
  /** Fewer bytes than a length field or fixed header promises. */
  | 'truncated'
  /** A length field that is too small, inconsistent or not what the header says. */
  | 'bad-length'
  /** The header's major version is not 2 (answer INVALID_MAJOR_VERSION, RFC 7296 section 2.5). */
  | 'invalid-major-version'
  /** An unknown payload with the critical bit set (answer UNSUPPORTED_CRITICAL_PAYLOAD). */
  | 'unsupported-critical-payload'
  /** A field holds a value the RFC forbids (answer INVALID_SYNTAX when authenticated). */
  | 'invalid-syntax';

export class MessageError extends Error {
  /** The payload or header field at fault, e.g. `SA.proposal[1].transform[0].length`. */
  readonly field: string;
  readonly code: MessageErrorCode;
  /** For `unsupported-critical-payload`: the payload type to report in the notify. */
  readonly payloadType?: number;

  constructor(code: MessageErrorCode, field: string, detail: string, payloadType?: number) {
    super(`${field}: ${detail}`);
    this.name = 'MessageError';
    this.code = code;
    this.field = field;
    this.payloadType = payloadType;
  }
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: MessageError };

/** Runs a throwing parser and turns a MessageError (or any RangeError from a bad read) into a value. */
export function parsed<T>(fn: () => T, field: string): Parsed<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof MessageError) return { ok: false, error: e };
    // Buffer reads past the end throw RangeError; anything else is a bug and must surface.
    if (e instanceof RangeError) return { ok: false, error: new MessageError('truncated', field, e.message) };
    throw e;
  }
}
