#!/usr/bin/env python3
"""udp_ok.py PORT...: answer every UDP datagram on each PORT with "ok". One process, no forking,
so concurrent probes never steal each other's datagrams (socat UDP-RECVFROM,fork can)."""
import select, socket, sys

socks = []
for p in sys.argv[1:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(p)))
    socks.append(s)
while True:
    for s in select.select(socks, [], [])[0]:
        data, peer = s.recvfrom(65535)
        s.sendto(b"ok\n", peer)
