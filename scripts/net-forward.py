#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""QEMU's guestfwd command for the demo's network (Makefile NET_QEMU_ARGS):
QEMU starts it for each connection a guest opens to 10.0.2.100:80, with
that connection on stdin and stdout; it connects to 127.0.0.1:<port> and
copies bytes both ways until either side closes. Only the loopback
address is ever reached."""
import os
import select
import socket
import sys


def main():
    port = int(sys.argv[1])
    try:
        host = socket.create_connection(("127.0.0.1", port))
    except OSError as err:
        sys.stderr.write(f"net-forward: 127.0.0.1:{port}: {err}\n")
        return 1
    guest_in, guest_out = sys.stdin.fileno(), sys.stdout.fileno()
    open_ends = {guest_in, host.fileno()}
    while open_ends:
        ready, _, _ = select.select(list(open_ends), [], [])
        for fd in ready:
            data = os.read(fd, 65536)
            if fd == guest_in:
                if data:
                    host.sendall(data)
                else:
                    open_ends.discard(fd)
                    host.shutdown(socket.SHUT_WR)
            else:
                if data:
                    while data:
                        data = data[os.write(guest_out, data):]
                else:
                    open_ends.discard(fd)
                    os.close(guest_out)
                    if guest_in in open_ends:
                        open_ends.discard(guest_in)
    return 0


if __name__ == "__main__":
    sys.exit(main())
