#!/usr/bin/python3
"""ESP (and AH) encrypt/decrypt jobs for the interop suites, done by scapy (an independent implementation).

stdin:  {"jobs": [{"id": str, "op": "encrypt" | "decrypt", "sa": SA, "packet": hex,
                   "seq": int (encrypt only: the 64-bit sequence number)}]}
        SA = {"spi": int, "crypt_algo": str, "crypt_key": hex, "auth_algo": str | null, "auth_key": hex | null,
              "tunnel": {"src": str, "dst": str} | null, "nat_t": {"sport": int, "dport": int} | null,
              "esn": bool, "proto": "ESP" (default) | "AH" (then only auth_algo/auth_key, tunnel, esn)}
        encrypt: "packet" is the IP packet to protect (the inner packet in tunnel mode); the result is the
                 whole outer IP packet.
        decrypt: "packet" is a whole outer IP packet; the result is the inner IP packet (tunnel) or the
                 rebuilt IP packet (transport); "seq" may give the high 32 bits for ESN via "esn_high".
stdout: {"results": [{"id": str, "ok": bool, "packet": hex, "error": str}]}
One process handles the whole job list, so the suites pay python's start-up once.
"""
import struct

from scapy.layers.inet import IP, UDP
from scapy.layers.inet6 import IPv6
from scapy.layers.ipsec import AH, ESP, SecurityAssociation

from job_runner import run_jobs


def ip_class(raw):
    return IPv6 if raw[0] >> 4 == 6 else IP


def make_sa(sa, esn_high=0):
    tunnel = None
    if sa.get("tunnel"):
        t = sa["tunnel"]
        tunnel = IPv6(src=t["src"], dst=t["dst"]) if ":" in t["src"] else IP(src=t["src"], dst=t["dst"])
    if sa.get("proto") == "AH":
        return SecurityAssociation(
            AH,
            spi=sa["spi"],
            auth_algo=sa["auth_algo"],
            auth_key=bytes.fromhex(sa["auth_key"]),
            tunnel_header=tunnel,
            esn_en=bool(sa.get("esn")),
            esn=esn_high,
        )
    nat_t = UDP(sport=sa["nat_t"]["sport"], dport=sa["nat_t"]["dport"]) if sa.get("nat_t") else None
    return SecurityAssociation(
        ESP,
        spi=sa["spi"],
        crypt_algo=sa["crypt_algo"],
        crypt_key=bytes.fromhex(sa["crypt_key"]),
        auth_algo=sa.get("auth_algo") or None,
        auth_key=bytes.fromhex(sa["auth_key"]) if sa.get("auth_key") else None,
        tunnel_header=tunnel,
        nat_t_header=nat_t,
        esn_en=bool(sa.get("esn")),
        esn=esn_high,
    )


def ones_complement_sum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def fix_nat_t_lengths(raw):
    """scapy 2.5 writes UDP length 8 when it encrypts with NAT-T: set the real length, and the checksum
    (zero over IPv4 as RFC 3948 allows, computed over IPv6 where zero is not allowed)."""
    b = bytearray(raw)
    v6 = b[0] >> 4 == 6
    off = 40 if v6 else (b[0] & 0x0F) * 4
    udp_len = len(b) - off
    struct.pack_into("!HH", b, off + 4, udp_len, 0)
    if v6:
        pseudo = bytes(b[8:40]) + struct.pack("!IxxxB", udp_len, 17)
        csum = ~ones_complement_sum(pseudo + bytes(b[off:])) & 0xFFFF
        struct.pack_into("!H", b, off + 6, csum or 0xFFFF)
    return bytes(b)


def encrypt(job):
    seq = int(job["seq"])
    sa = make_sa(job["sa"], esn_high=seq >> 32)
    raw = bytes.fromhex(job["packet"])
    out = bytes(sa.encrypt(ip_class(raw)(raw), seq_num=seq & 0xFFFFFFFF))
    if job["sa"].get("nat_t"):
        out = fix_nat_t_lengths(out)
    return out


def strip_ipv6_nat_t(raw):
    """scapy 2.5 decrypts IPv6 transport-mode NAT-T wrongly (it keeps the UDP header and writes the next
    header into it): hand it plain IPv6/ESP instead. The UDP header is not covered by the ICV anyway."""
    b = bytearray(raw[:40] + raw[48:])
    b[6] = 50
    struct.pack_into("!H", b, 4, len(b) - 40)
    return bytes(b)


def decrypt(job):
    sa_conf = job["sa"]
    raw = bytes.fromhex(job["packet"])
    if sa_conf.get("nat_t") and not sa_conf.get("tunnel") and raw[0] >> 4 == 6:
        raw = strip_ipv6_nat_t(raw)
        sa_conf = dict(sa_conf, nat_t=None)
    sa = make_sa(sa_conf, esn_high=int(job.get("esn_high", 0)))
    # decrypt() mutates its argument: give it a packet of its own.
    return bytes(sa.decrypt(ip_class(raw)(raw)))


def main():
    run_jobs({"encrypt": encrypt, "decrypt": decrypt})


if __name__ == "__main__":
    main()
