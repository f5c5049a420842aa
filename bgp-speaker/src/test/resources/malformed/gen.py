#!/usr/bin/env python3
"""Regenerates the malformed-message corpus (one .txt per case). Run: python3 gen.py
Each file: '# what' comment lines, 'context: as4|as2', 'expect: OK | DISCARD | TREAT_AS_WITHDRAW |
NOTIFICATION c/s', optional 'data: HEX' (expected NOTIFICATION data), then the message as hex."""
import struct, os

def msg(t, body, length=None, marker=b'\xff'*16):
    L = 19 + len(body) if length is None else length
    return marker + struct.pack('!HB', L, t) + body

def attr(flags, code, value, ext=False):
    if ext or flags & 0x10:
        return bytes([flags | 0x10, code]) + struct.pack('!H', len(value)) + value
    return bytes([flags, code, len(value)]) + value

ORIGIN = attr(0x40, 1, b'\x00')
ASPATH = attr(0x40, 2, b'\x02\x01' + struct.pack('!I', 65001))
NH = attr(0x40, 3, bytes([10, 0, 0, 1]))
NLRI = bytes([24, 10, 1, 2])

def update(attrs, nlri=NLRI, withdrawn=b'', wlen=None, alen=None):
    w = struct.pack('!H', len(withdrawn) if wlen is None else wlen) + withdrawn
    a = struct.pack('!H', len(attrs) if alen is None else alen) + attrs
    return msg(2, w + a + nlri)

def open_(version=4, asn=65001, hold=90, bgpid=bytes([1, 1, 1, 1]), opt=None, optlen=None):
    if opt is None:
        opt = bytes([2, 6, 65, 4]) + struct.pack('!I', 65001)
    return msg(1, bytes([version]) + struct.pack('!HH', asn, hold) + bgpid + bytes([len(opt) if optlen is None else optlen]) + opt)

cases = {
 'header-bad-marker': ('as4', 'NOTIFICATION 1/1', None, msg(4, b'', marker=b'\xff'*15 + b'\x00')),
 'header-length-too-short': ('as4', 'NOTIFICATION 1/2', '0012', msg(4, b'', length=18)),
 'header-length-too-long': ('as4', 'NOTIFICATION 1/2', '1388', msg(4, b'', length=5000)),
 'keepalive-with-body': ('as4', 'NOTIFICATION 1/2', '0014', msg(4, b'\x00')),
 'notification-too-short': ('as4', 'NOTIFICATION 1/2', '0014', msg(3, b'\x06')),
 'header-unknown-type': ('as4', 'NOTIFICATION 1/3', '09', msg(9, b'')),
 'open-version-3': ('as4', 'NOTIFICATION 2/1', '0004', open_(version=3)),
 'open-hold-time-1': ('as4', 'NOTIFICATION 2/6', None, open_(hold=1)),
 'open-bgp-id-zero': ('as4', 'NOTIFICATION 2/3', None, open_(bgpid=bytes(4))),
 'open-auth-parameter': ('as4', 'NOTIFICATION 2/4', None, open_(opt=bytes([1, 2, 0, 0]))),
 'open-opt-length-inconsistent': ('as4', 'NOTIFICATION 2/0', None, open_(optlen=20)),
 'open-as4-capability-short': ('as4', 'NOTIFICATION 2/0', None, open_(opt=bytes([2, 4, 65, 2, 0, 1]))),
 'open-capability-overrun': ('as4', 'NOTIFICATION 2/0', None, open_(opt=bytes([2, 4, 65, 9, 0, 1]))),
 'update-withdrawn-overrun': ('as4', 'NOTIFICATION 3/1', None, update(ORIGIN + ASPATH + NH, wlen=200)),
 'update-attr-length-overrun': ('as4', 'NOTIFICATION 3/1', None, update(ORIGIN + ASPATH + NH, alen=300)),
 'update-origin-undefined': ('as4', 'TREAT_AS_WITHDRAW', None, update(attr(0x40, 1, b'\x05') + ASPATH + NH)),
 'update-origin-length-2': ('as4', 'TREAT_AS_WITHDRAW', None, update(attr(0x40, 1, b'\x00\x00') + ASPATH + NH)),
 'update-origin-optional-flag': ('as4', 'TREAT_AS_WITHDRAW', None, update(attr(0xc0, 1, b'\x00') + ASPATH + NH)),
 'update-as-path-segment-overrun': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + attr(0x40, 2, b'\x02\x03' + struct.pack('!I', 1)) + NH)),
 'update-as-path-segment-type-7': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + attr(0x40, 2, b'\x07\x01' + struct.pack('!I', 1)) + NH)),
 'update-as-path-empty-segment': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + attr(0x40, 2, b'\x02\x00') + NH)),
 'update-as-path-2-octet-odd': ('as2', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + attr(0x40, 2, b'\x02\x02\x00\x01\x00') + NH)),
 'update-next-hop-length-5': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + attr(0x40, 3, bytes(5)))),
 'update-next-hop-zero': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + attr(0x40, 3, bytes(4)))),
 'update-missing-origin': ('as4', 'TREAT_AS_WITHDRAW', None, update(ASPATH + NH)),
 'update-missing-next-hop': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH)),
 'update-med-length-3': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + NH + attr(0x80, 4, bytes(3)))),
 'update-local-pref-length-2': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + NH + attr(0x40, 5, bytes(2)))),
 'update-atomic-aggregate-length-1': ('as4', 'DISCARD', None, update(ORIGIN + ASPATH + NH + attr(0x40, 6, b'\x00'))),
 'update-aggregator-length-5': ('as4', 'DISCARD', None, update(ORIGIN + ASPATH + NH + attr(0xc0, 7, bytes(5)))),
 'update-communities-length-3': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + NH + attr(0xc0, 8, bytes(3)))),
 'update-originator-id-length-3': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + NH + attr(0x80, 9, bytes(3)))),
 'update-cluster-list-length-5': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + NH + attr(0x80, 10, bytes(5)))),
 'update-ext-communities-length-7': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + NH + attr(0xc0, 16, bytes(7)))),
 'update-large-communities-length-13': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + NH + attr(0xc0, 32, bytes(13)))),
 'update-as4-path-malformed': ('as2', 'DISCARD', None, update(ORIGIN + attr(0x40, 2, b'\x02\x01\x5b\xa0') + NH + attr(0xc0, 17, b'\x02\x02\x00'))),
 'update-as4-aggregator-length-6': ('as2', 'DISCARD', None, update(ORIGIN + attr(0x40, 2, b'\x02\x01\x5b\xa0') + NH + attr(0xc0, 18, bytes(6)))),
 'update-unknown-well-known': ('as4', 'NOTIFICATION 3/2', '40630100', update(ORIGIN + ASPATH + NH + attr(0x40, 99, b'\x00'))),
 'update-unknown-optional-non-transitive': ('as4', 'DISCARD', None, update(ORIGIN + ASPATH + NH + attr(0x80, 99, b'\x01\x02'))),
 'update-unknown-optional-transitive': ('as4', 'OK', None, update(ORIGIN + ASPATH + NH + attr(0xc0, 99, b'\x01\x02'))),
 'update-duplicate-origin': ('as4', 'DISCARD', None, update(ORIGIN + ORIGIN + ASPATH + NH)),
 'update-duplicate-mp-reach': ('as4', 'NOTIFICATION 3/1', None, update(2 * attr(0x80, 14, b'\x00\x02\x01\x10' + bytes(16) + b'\x00'), nlri=b'')),
 'update-nlri-length-33': ('as4', 'NOTIFICATION 3/10', None, update(ORIGIN + ASPATH + NH, nlri=bytes([33, 10, 0, 0, 0, 0]))),
 'update-nlri-truncated': ('as4', 'NOTIFICATION 3/10', None, update(ORIGIN + ASPATH + NH, nlri=bytes([24, 10, 0]))),
 'update-mp-reach-nlri-129': ('as4', 'NOTIFICATION 3/9', None, update(ORIGIN + ASPATH + attr(0x80, 14, b'\x00\x02\x01\x10' + bytes(16) + b'\x00' + bytes([129]) + bytes(17)), nlri=b'')),
 'update-mp-reach-next-hop-length-5': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + attr(0x80, 14, b'\x00\x02\x01\x05' + bytes(5) + b'\x00' + bytes([32, 0x20, 1, 0xd, 0xb8])), nlri=b'')),
 'update-mp-reach-unsupported-family': ('as4', 'DISCARD', None, update(attr(0x80, 14, b'\x00\x19\x41\x04\x0a\x00\x00\x01\x00\x00'), nlri=b'')),
 'update-attribute-overruns-field': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + NH[:-1], nlri=b'')),
 'update-extended-length-header-truncated': ('as4', 'TREAT_AS_WITHDRAW', None, update(ORIGIN + ASPATH + NH + b'\xd0\x08\x00', nlri=b'')),
 'route-refresh-length-24': ('as4', 'NOTIFICATION 7/1', None, msg(5, b'\x00\x01\x00\x01\x00')),
 'update-valid': ('as4', 'OK', None, update(ORIGIN + ASPATH + NH)),
}

here = os.path.dirname(os.path.abspath(__file__))
for name, (ctx, expect, data, raw) in cases.items():
    with open(os.path.join(here, name + '.txt'), 'w') as f:
        f.write(f'# {name.replace("-", " ")}\ncontext: {ctx}\nexpect: {expect}\n')
        if data:
            f.write(f'data: {data}\n')
        h = raw.hex()
        for i in range(0, len(h), 64):
            f.write(h[i:i + 64] + '\n')
print(len(cases), 'cases')
