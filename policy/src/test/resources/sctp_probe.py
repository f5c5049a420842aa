#!/usr/bin/env python3
"""SCTP INIT/INIT-ACK over raw sockets, for kernels without SCTP sockets (lab-environment.md 0).

  sctp_probe.py serve PORT            answer every INIT to PORT with a well-formed INIT-ACK
  sctp_probe.py probe IP PORT SECS    send an INIT, exit 0 iff a matching INIT-ACK arrives in time

The INIT-ACK carries a State Cookie so conntrack's SCTP tracker sees a valid handshake start.
"""
import os, random, select, socket, struct, sys, time

def _crc32c_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t.append(c)
    return t

TABLE = _crc32c_table()

def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF

def packet(sport, dport, vtag, chunks):
    hdr = struct.pack("!HHII", sport, dport, vtag, 0)
    body = hdr + chunks
    return hdr[:8] + struct.pack("<I", crc32c(body)) + chunks

def init_chunk(ctype, tag, params=b""):
    value = struct.pack("!IIHHI", tag, 65535, 10, 10, random.getrandbits(32)) + params
    return struct.pack("!BBH", ctype, 0, 4 + len(value)) + value

def parse(buf):
    ihl = (buf[0] & 0x0F) * 4
    src = socket.inet_ntoa(buf[12:16])
    s = buf[ihl:]
    if len(s) < 16 + 4:
        return None
    sport, dport, vtag = struct.unpack("!HHI", s[:8])
    ctype = s[12]
    tag = struct.unpack("!I", s[16:20])[0] if len(s) >= 20 else 0
    return src, sport, dport, vtag, ctype, tag

def serve(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_SCTP)
    while True:
        buf, _ = sock.recvfrom(65535)
        p = parse(buf)
        if not p:
            continue
        src, sport, dport, vtag, ctype, tag = p
        if dport != port or ctype != 1:
            continue
        cookie = struct.pack("!HH", 7, 8) + os.urandom(4)
        ack = init_chunk(2, random.getrandbits(32) | 1, cookie)
        sock.sendto(packet(dport, sport, tag, ack), (src, 0))

def probe(ip, port, secs):
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_SCTP)
    sport = random.randint(20000, 60000)
    tag = random.getrandbits(32) | 1
    sock.sendto(packet(sport, port, 0, init_chunk(1, tag)), (ip, 0))
    deadline = time.monotonic() + secs
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return 1
        r, _, _ = select.select([sock], [], [], left)
        if not r:
            return 1
        buf, _ = sock.recvfrom(65535)
        p = parse(buf)
        if p and p[0] == ip and p[1] == port and p[2] == sport and p[3] == tag and p[4] == 2:
            return 0

if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        sys.exit(probe(sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))
