#!/usr/bin/python3
"""AES-GMAC ESP (ENCR_NULL_AUTH_AES_GMAC, RFC 4543) written from the RFC on top of python3-cryptography.

Not one of the three independent implementations (tshark 4.0, scapy 2.5 and strongSwan's libipsec all lack
GMAC), but a second, separately written construction of the same packets, to check the engine's GMAC
suites against something other than itself.

stdin:  {"jobs": [{"id": str, "op": "seal" | "open", "spi": int, "seq": str (64-bit), "esn": bool,
                   "key": hex (AES key || 4-byte salt),
                   seal: "payload": hex, "next_header": int, "iv": hex (8 bytes)
                   open: "packet": hex (bare ESP: SPI | seq | IV | payload | pad | pad len | NH | ICV)}]}
stdout: {"results": [{"id", "ok", "packet": hex (seal: bare ESP; open: payload), "error"}]}
"""
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from job_runner import run_jobs

ICV = 16
IV = 8


def aad_header(spi, seq, esn):
    # RFC 4543 section 3.3: SPI, then the 32-bit sequence number, or the 64-bit ESN (high half first).
    if esn:
        return struct.pack("!III", spi, seq >> 32, seq & 0xFFFFFFFF)
    return struct.pack("!II", spi, seq & 0xFFFFFFFF)


def seal(job):
    key = bytes.fromhex(job["key"])
    aes, salt = AESGCM(key[:-4]), key[-4:]
    seq, iv = int(job["seq"]), bytes.fromhex(job["iv"])
    payload = bytes.fromhex(job["payload"])
    # RFC 4303 section 2.4: pad so payload + pad + 2 ends on a 4-byte boundary; padding bytes are 1, 2, 3, ...
    pad_len = (4 - (len(payload) + 2) % 4) % 4
    trailer = bytes(range(1, pad_len + 1)) + bytes([pad_len, job["next_header"]])
    plaintext = payload + trailer
    tag = aes.encrypt(salt + iv, b"", aad_header(job["spi"], seq, job["esn"]) + iv + plaintext)
    return struct.pack("!II", job["spi"], seq & 0xFFFFFFFF) + iv + plaintext + tag


def open_(job):
    key = bytes.fromhex(job["key"])
    aes, salt = AESGCM(key[:-4]), key[-4:]
    esp = bytes.fromhex(job["packet"])
    spi, seq_low = struct.unpack("!II", esp[:8])
    if spi != job["spi"]:
        raise ValueError("wrong SPI")
    seq = int(job["seq"])
    if seq & 0xFFFFFFFF != seq_low:
        raise ValueError("sequence number differs from the expected one")
    iv, plaintext, tag = esp[8:8 + IV], esp[8 + IV:-ICV], esp[-ICV:]
    aes.decrypt(salt + iv, tag, aad_header(spi, seq, job["esn"]) + iv + plaintext)  # raises InvalidTag
    pad_len, next_header = plaintext[-2], plaintext[-1]
    if plaintext[-2 - pad_len:-2] != bytes(range(1, pad_len + 1)):
        raise ValueError("padding is not 1, 2, 3, ...")
    return bytes([next_header]) + plaintext[:-2 - pad_len]


def main():
    run_jobs({"seal": seal, "open": open_})


if __name__ == "__main__":
    main()
