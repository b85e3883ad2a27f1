# SPDX-License-Identifier: BSD-2-Clause
# The debug-linux system test's gdb session (tests/system/debug.py), run in
# batch mode after `make debug-cmd IMAGE=demo CONTAINER=linux-b`: three
# stops in the kernel's do_sys_openat2, each printing the container and
# the file, then the kernel's own lx-dmesg; then the machine runs on.
set pagination off
set confirm off
show osabi
break do_sys_openat2
python
for _ in range(3):
    gdb.execute("continue")
    v = gdb.parse_and_eval
    print(f"STOP {v('$_diosix_container()').string()} {int(v('$_diosix_vcpu()'))} "
          f"{v('filename').string()}")
end
delete
lx-dmesg
detach
