# SPDX-License-Identifier: BSD-2-Clause
# The debug system tests' gdb session (tests/system/debug.py), run in batch
# mode after what `make debug-cmd` printed (which ran "diosix start"):
# break on guests/debuggee.c's step(), and at every stop print where it
# stopped and what it read, until the machine powers off and QEMU leaves.
set pagination off
set confirm off
break step
python
while True:
    try:
        gdb.execute("continue")
    except gdb.error as e:
        print(f"END {e}")
        break
    v = gdb.parse_and_eval
    print(f"STOP {v('$_diosix_container()').string()} {int(v('$_diosix_vcpu()'))} "
          f"n={int(v('n'))} seed={int(v('seed'))} total={int(v('debug_total'))}")
end
