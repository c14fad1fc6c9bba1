#!/usr/bin/python3
# Prints the RTP header of every packet a given SSRC sends over loopback, so a
# test can check what actually left a browser (e2e/lib/rtp-capture.mjs runs it).
#
#   rtp-capture.py [SSRC...]       (root in the test's loopback-only netns; no SSRC: all)
#
# Prints "ready" once the socket is open, then one line per RTP packet:
#   rtp <ssrc> <payload type> <marker 0|1> <seq> <timestamp> <payload bytes>
# and exits on SIGTERM or when stdin closes. Only the Debian python3-minimal
# modules are used (no tcpdump/libpcap on this machine).
#
# DTLS-SRTP (RFC 5764) encrypts the RTP payload but not the header (RFC 3711
# §3.1), so payload type, marker bit, sequence number and timestamp are
# readable; "payload bytes" still counts the SRTP auth tag. STUN, DTLS and
# RTCP share the port (rtcp-mux, RFC 7983 §7): RTP is told from them by the
# first byte (128..191) and by a payload type outside RTCP's 64..95 (RFC 5761 §4).
import os
import select
import signal
import socket
import struct
import sys

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4  # each loopback packet is seen twice; keep the sent copy

wanted = {int(a) for a in sys.argv[1:]}
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
sock.bind(("lo", 0))
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
print("ready", flush=True)


def rtp_line(frame):
    if len(frame) < 14 + 20 or struct.unpack("!H", frame[12:14])[0] != ETH_P_IP:
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    if ip[9] != 17:  # UDP
        return None
    udp = ip[ihl:]
    data = udp[8:struct.unpack("!H", udp[4:6])[0]]
    if len(data) < 12 or not 128 <= data[0] <= 191:
        return None
    pt = data[1] & 0x7F
    if 64 <= pt <= 95:  # RTCP
        return None
    seq, ts, ssrc = struct.unpack("!HII", data[2:12])
    if wanted and ssrc not in wanted:
        return None
    header = 12 + 4 * (data[0] & 0x0F)
    if data[0] & 0x10:  # header extension (RFC 3550 §5.3.1)
        header += 4 + 4 * struct.unpack("!H", data[header + 2:header + 4])[0]
    marker = data[1] >> 7
    return f"rtp {ssrc} {pt} {marker} {seq} {ts} {len(data) - header}"


while True:
    ready, _, _ = select.select([sock, sys.stdin], [], [])
    if sys.stdin in ready and not os.read(sys.stdin.fileno(), 4096):
        break
    if sock in ready:
        frame, addr = sock.recvfrom(65535)
        if addr[2] != PACKET_OUTGOING:
            continue
        line = rtp_line(frame)
        if line:
            print(line, flush=True)
