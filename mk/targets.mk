# SPDX-License-Identifier: BSD-2-Clause
#
# What each TARGET means: the ISA width, and how QEMU runs it. The RAM
# model (base, size) is also what the build-time manifest check assumes.

ifeq ($(TARGET),qemu-virt-rv64)
XLEN := 64
QEMU := qemu-system-riscv64
QEMU_MACHINE := virt
SMP ?= 4
MEM_MIB ?= 256
else ifeq ($(TARGET),qemu-virt-rv32)
XLEN := 32
QEMU := qemu-system-riscv32
QEMU_MACHINE := virt
SMP ?= 8
MEM_MIB ?= 256
else ifeq ($(TARGET),qemu-sifive-u)
# The HiFive Unleashed model: hart 0 is the E51 monitor core (no S-mode),
# harts 1-4 are U54s; no Sstc.
XLEN := 64
QEMU := qemu-system-riscv64
QEMU_MACHINE := sifive_u
SMP ?= 5
MEM_MIB ?= 256
else
$(error unknown TARGET '$(TARGET)': use qemu-virt-rv64, qemu-virt-rv32 or qemu-sifive-u)
endif

RAM_BASE := 0x80000000
ifeq ($(XLEN),64)
PAYLOAD_OFFSET := 0x200000
else
PAYLOAD_OFFSET := 0x400000
endif
