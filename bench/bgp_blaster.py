#!/usr/bin/env python3
"""Pre-encoded UPDATE blaster and null sink for the bgperf-style run (bgp.md section 3.3, item 1).

blast: listens on LOCAL:179, takes the first BGP connection (the target dials it), does the OPEN
       exchange (AS 65001 or the AS given, hold 240, IPv4 unicast + 4-octet AS capabilities), waits
       for the file GO to exist, then writes N unique /32s from 100.64.0.0 in UPDATEs of 800 NLRI
       under one attribute set (ORIGIN IGP, AS_PATH of its AS PATHLEN times, default once, NEXT_HOP
       LOCAL) and an End-of-RIB, as fast as TCP
       takes them; waits for the file WITHDRAW, then writes the same /32s as withdrawals; does
       that CYCLES times on one session (cycle K waits for GO.K and WITHDRAW.K), so cycle 1 meets
       a cold target and later cycles a warm one (bgp.md 3.3: "cold three times and once warm").
       The messages are encoded before GO.1, so the timed part is socket writes only. A thread
       drains what the target sends and one sends a KEEPALIVE every 60 s. Prints key=value
       timestamps (wall clock, seconds) that the harness reads: established, and per cycle K
       first_update_K, all_written_K, withdraw_first_K, withdraw_written_K.
sink:  dials PEER:179 from LOCAL, does the OPEN exchange and counts the NLRI and withdrawn /32s
       it reads, discarding them (no RIB); prints when it has N announced (sink_all) and N
       withdrawn (sink_withdrawn). blast -> sink is the injector's own ceiling.

Two blasters with different ASes and path lengths sending the same prefixes to one target make
the overlap scenario of bgp.md 3.7 item 7 (every prefix has two paths; best path decides).

Usage: bgp_blaster.py blast LOCAL N GO WITHDRAW [CYCLES [AS [PATHLEN]]]
       bgp_blaster.py sink LOCAL PEER N [CYCLES]
"""
import os
import socket
import struct
import sys
import threading
import time

MARKER = b'\xff' * 16
PER_MSG = 800  # /32s per UPDATE: 23 + 20 octets of attributes + 800 x 5 = 4043 <= 4096
AS = 65001


def msg(kind, body):
    return MARKER + struct.pack('!HB', 19 + len(body), kind) + body


def open_msg(local, asn=AS):
    caps = bytes([1, 4, 0, 1, 0, 1]) + bytes([65, 4]) + struct.pack('!I', asn)  # MP IPv4 unicast, 4-octet AS
    params = bytes([2, len(caps)]) + caps
    return msg(1, struct.pack('!BHH4sB', 4, asn, 240, socket.inet_aton(local), len(params)) + params)


def read_msg(sock, buf):
    """Returns (type, body, rest of buf); raises EOFError when the peer closes."""
    while True:
        if len(buf) >= 19:
            length = struct.unpack('!H', buf[16:18])[0]
            if len(buf) >= length:
                return buf[18], buf[19:length], buf[length:]
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise EOFError('peer closed')
        buf += chunk


def handshake(sock, local, asn=AS):
    sock.sendall(open_msg(local, asn))
    buf = b''
    kind, body, buf = read_msg(sock, buf)
    if kind != 1:
        raise SystemExit(f'expected OPEN, got type {kind}: {body[:2].hex()}')
    four = b'\x41\x04' in body  # the peer offered 4-octet AS numbers
    sock.sendall(msg(4, b''))
    while True:
        kind, body, buf = read_msg(sock, buf)
        if kind == 4:
            return four, buf
        if kind == 3:
            raise SystemExit(f'NOTIFICATION {body[:2].hex()}')


def prefixes(n):
    base = struct.unpack('!I', socket.inet_aton('100.64.0.0'))[0]
    for start in range(0, n, PER_MSG):
        yield b''.join(b'\x20' + struct.pack('!I', base + i) for i in range(start, min(n, start + PER_MSG)))


def blast(local, n, go, withdraw, cycles=1, asn=AS, pathlen=1):
    chunks = list(prefixes(n))
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((local, 179))
    lsock.listen(1)
    print('listening', flush=True)
    sock, _ = lsock.accept()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    four, _ = handshake(sock, local, asn)
    aspath = struct.pack('!BB', 2, pathlen) + struct.pack('!I' if four else '!H', asn) * pathlen
    attrs = (b'\x40\x01\x01\x00' + bytes([0x40, 2, len(aspath)]) + aspath
             + b'\x40\x03\x04' + socket.inet_aton(local))
    announce = [msg(2, b'\x00\x00' + struct.pack('!H', len(attrs)) + attrs + c) for c in chunks]
    announce.append(msg(2, b'\x00\x00\x00\x00'))  # End-of-RIB
    withdrawals = [msg(2, struct.pack('!H', len(c)) + c + b'\x00\x00') for c in chunks]
    lock = threading.Lock()

    def drain():
        try:
            while sock.recv(1 << 20):
                pass
        except OSError:
            pass

    def keepalive():
        while True:
            time.sleep(60)
            with lock:
                sock.sendall(msg(4, b''))

    threading.Thread(target=drain, daemon=True).start()
    threading.Thread(target=keepalive, daemon=True).start()
    print(f'established={time.time():.6f} four_octet_as={four} updates={len(announce)} '
          f'octets={sum(map(len, announce))}', flush=True)
    for k in range(1, cycles + 1):
        for when, msgs, first, done in ((go, announce, 'first_update', 'all_written'),
                                         (withdraw, withdrawals, 'withdraw_first', 'withdraw_written')):
            wait_for(f'{when}.{k}')
            print(f'{first}_{k}={time.time():.6f}', flush=True)
            for m in msgs:
                with lock:
                    sock.sendall(m)
            print(f'{done}_{k}={time.time():.6f}', flush=True)
    threading.Event().wait()  # keep the session up until the harness kills us


def wait_for(path):
    while not os.path.exists(path):
        time.sleep(0.005)


def sink(local, peer, n, cycles):
    sock = socket.socket()
    sock.bind((local, 0))
    while True:
        try:
            sock.connect((peer, 179))
            break
        except OSError:
            time.sleep(0.1)
    _, buf = handshake(sock, local)
    print(f'established={time.time():.6f}', flush=True)
    for k in range(1, cycles + 1):
        announced = withdrawn = 0
        while withdrawn < n:
            kind, body, buf = read_msg(sock, buf)
            if kind != 2:
                continue
            wlen = struct.unpack('!H', body[:2])[0]
            alen = struct.unpack('!H', body[2 + wlen:4 + wlen])[0]
            withdrawn += wlen // 5
            was = announced
            announced += (len(body) - 4 - wlen - alen) // 5
            if was < n <= announced:
                print(f'sink_all_{k}={time.time():.6f}', flush=True)
        print(f'sink_withdrawn_{k}={time.time():.6f}', flush=True)
    threading.Event().wait()  # stay up (the harness reads our CPU and memory, then kills us)


if __name__ == '__main__':
    if sys.argv[1] == 'blast':
        blast(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], *map(int, sys.argv[6:9]))
    else:
        sink(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else 1)
