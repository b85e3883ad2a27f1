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
else ifeq ($(TARGET),hifive-unleashed)
# The HiFive Unleashed board (FU540: an E51 monitor hart without S-mode,
# four U54s, 8 GiB). diosix goes on an SD card behind Debian's U-Boot SPL,
# as the board boots; `make run` boots that card in QEMU's model of the
# board, with SPL where the boot ROM would load it (MSEL 11).
XLEN := 64
BOARD := sifive_unleashed
QEMU := qemu-system-riscv64
QEMU_MACHINE := sifive_u
# The board's device tree (from SPL) always lists its five harts and 8 GiB.
override SMP := 5
override MEM_MIB := 8192
else ifeq ($(TARGET),hifive-unmatched)
# The HiFive Unmatched board (FU740: an S7 monitor hart, four U74s,
# 16 GiB): the same SD card layout. QEMU has no model of it.
XLEN := 64
BOARD := sifive_unmatched
override MEM_MIB := 16384
else
$(error unknown TARGET '$(TARGET)': use qemu-virt-rv64, qemu-virt-rv32, qemu-sifive-u, hifive-unleashed or hifive-unmatched)
endif

# PMP entries a container may use (RAM pieces plus device ranges): the
# harts' entries less the firmware's own three (its text, its data and
# the CLINT/ACLINT), as the boot finds them. QEMU virt harts have 16, the
# U54/U74 (sifive_u and the HiFive boards) 8.
ifeq ($(QEMU_MACHINE),virt)
PMP_REGIONS := 13
else
PMP_REGIONS := 5
endif

RAM_BASE := 0x80000000
include mk/bundle.mk
PAYLOAD_OFFSET := $(call bundle_def,BUNDLE_PAYLOAD_OFFSET)
