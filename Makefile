# SPDX-License-Identifier: BSD-2-Clause
#
# diosix: the only entry point.
#
#   make [IMAGE=<name>] [TARGET=<target>]   build build/<target>/<name>/fw_payload.{elf,bin}
#                                           (boards: fw_dynamic.{elf,bin} and sdcard.img)
#   make run [IMAGE=…] [TARGET=…] [SMP=…] [QEMU_ARGS=…]   build and boot it in QEMU
#   make debug [IMAGE=…] [TARGET=…] [CONTAINER=…] [GDB_PORT=…]   the same, stopped,
#                                           for gdb (docs/debugging.md)
#   make test                               every test; ends with "N passed, M failed"
#   make unit                               host unit tests of hyp/ only
#   make fuzz [FUZZ_SEED=…] [FUZZ_CALLS=…] [FUZZ_RESTARTS=…]   the SBI fuzzer at length
#   make help                               commands, targets and images
#
# On a fresh Debian 12 machine (as root) it installs the packages it
# needs and fetches OpenSBI 1.6 from Debian's source archive first.

TARGET ?= qemu-virt-rv64
IMAGE ?= demo
QEMU_ARGS ?=
# MANIFEST_CHECK=no skips the build-time manifest check (the tests use it
# to boot a deliberately broken manifest).
MANIFEST_CHECK ?= yes

include mk/targets.mk

TOP := $(CURDIR)
BUILD := $(TOP)/build
CROSS_COMPILE := riscv64-linux-gnu-
CC_CROSS := $(CROSS_COMPILE)gcc
OBJCOPY := $(CROSS_COMPILE)objcopy

TBUILD := $(BUILD)/$(TARGET)
IBUILD := $(TBUILD)/$(IMAGE)
GUEST_DIR := $(TBUILD)/guests
OSBI_BUILD := $(TBUILD)/opensbi
OSBI_FW := $(OSBI_BUILD)/platform/diosix/firmware
# QEMU loads fw_payload (the bundle linked in) as its -bios; a board's
# U-Boot SPL loads fw_dynamic and the bundle side by side from a FIT.
FW_KIND := $(if $(BOARD),fw_dynamic,fw_payload)
FW_ELF := $(IBUILD)/$(FW_KIND).elf
FW_BIN := $(IBUILD)/$(FW_KIND).bin
SDCARD := $(IBUILD)/sdcard.img
BUNDLE := $(IBUILD)/bundle.bin
MANIFEST := $(IBUILD)/manifest.dtb

DEPS_STAMP := $(BUILD)/.deps-installed
OSBI_STAMP := opensbi/.diosix-fetched
FW_SOURCES := $(wildcard hyp/*.c hyp/*.mk hyp/include/hyp/*.h platform/diosix/* \
	platform/diosix/configs/*)

# The demo's devices (images/demo.dts, docs/devices.md). On QEMU virt: a
# virtio network card for linux-a and a virtio disk for linux-b (QEMU
# places the first -device at virtio_mmio@10008000, the next at
# 10007000). On sifive_u: the Cadence GEM Ethernet for linux-a and the
# second UART for linux-b (connected to $(UART1), default a pty). The
# network is QEMU's user network with restrict=on, so no packet leaves
# QEMU but through the two forwards: guest 10.0.2.100:80 reaches host
# 127.0.0.1:$(NET_HOST_PORT), host 127.0.0.1:$(NET_GUEST_PORT) reaches
# linux-a's port 5555. The disk is an ext2 image made once and kept.
NET_HOST_PORT ?= 8000
NET_GUEST_PORT ?= 5555
UART1 ?= pty
DISK_IMG := $(TBUILD)/disk.img
DISK_MIB := 96
# QEMU runs the guestfwd command for each connection (no spaces allowed
# in it here, so a one-line wrapper names the port).
NET_FORWARD := $(TBUILD)/net-forward-$(NET_HOST_PORT)
NET_USER := user,restrict=on,hostfwd=tcp:127.0.0.1:$(NET_GUEST_PORT)-:5555,guestfwd=tcp:10.0.2.100:80-cmd:$(NET_FORWARD)
ifeq ($(IMAGE)-$(QEMU_MACHINE)$(BOARD),demo-virt)
DEVICE_QEMU_ARGS := -netdev $(NET_USER),id=net0 -device virtio-net-device,netdev=net0 \
	-drive file=$(DISK_IMG),if=none,format=raw,id=disk0 -device virtio-blk-device,drive=disk0
DEVICE_DEPS := $(DISK_IMG) $(NET_FORWARD)
else ifeq ($(IMAGE)-$(QEMU_MACHINE)$(BOARD),demo-sifive_u)
DEVICE_QEMU_ARGS := -nic $(NET_USER),model=cadence_gem -serial mon:stdio -serial $(UART1)
DEVICE_DEPS := $(NET_FORWARD)
endif

ifdef BOARD
# MSEL 11: start in the L2 LIM, where the boot ROM would have put SPL.
QEMU_CMD := $(QEMU) -M $(QEMU_MACHINE),msel=11 -m $(MEM_MIB)M -smp $(SMP) -nographic \
	-bios $(IBUILD)/u-boot-spl.bin -drive file=$(SDCARD),if=sd,format=raw $(QEMU_ARGS)
else
QEMU_CMD := $(QEMU) -M $(QEMU_MACHINE) -m $(MEM_MIB)M -smp $(SMP) -nographic \
	-bios $(FW_BIN) $(DEVICE_QEMU_ARGS) $(QEMU_ARGS)
endif

.PHONY: FORCE all firmware link-firmware guests linux-guest linux-6.12-guest stock-opensbi stock-qemu-cmd bench fuzz run qemu-cmd debug debug-cmd test unit unit-bin check-manifest deps clean distclean help
.DELETE_ON_ERROR:

all: firmware
firmware: $(FW_ELF) $(FW_BIN) $(if $(BOARD),$(SDCARD)) $(DEVICE_DEPS)

# Made once (ext2, by Debian's e2fsprogs), then kept: what the containers
# write to it stays across runs (make clean removes it with build/).
$(DISK_IMG): | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@truncate -s $(DISK_MIB)M $@.tmp && mke2fs -q -t ext2 -L diosix -F $@.tmp && mv $@.tmp $@
	@echo " DISK     $(TARGET)/disk.img ($(DISK_MIB) MiB, ext2)"

$(NET_FORWARD): scripts/net-forward.py
	@mkdir -p $(@D)
	@printf '#!/bin/sh\nexec python3 %s %s\n' $(TOP)/scripts/net-forward.py $(NET_HOST_PORT) >$@
	@chmod +x $@

# --- setup -----------------------------------------------------------------

$(DEPS_STAMP): scripts/install-deps.sh
	@scripts/install-deps.sh
	@mkdir -p $(@D) && touch $@

deps: $(DEPS_STAMP)

$(OSBI_STAMP): scripts/fetch-opensbi.sh | $(DEPS_STAMP)
	@scripts/fetch-opensbi.sh opensbi

# --- guests and manifest ---------------------------------------------------

GUESTS := $(shell sed -n 's/^GUESTS *:= *//p' guests/Makefile)
GUEST_ELFS := $(addprefix $(GUEST_DIR)/,$(addsuffix .elf,$(GUESTS))) $(GUEST_DIR)/victim-pattern.bin

# guests/ tracks its own dependencies; the ELFs only change when it
# rebuilds them, so what depends on them is rebuilt only then.
guests: | $(DEPS_STAMP)
	@$(MAKE) -s -C guests O=$(GUEST_DIR) XLEN=$(XLEN) CROSS_COMPILE=$(CROSS_COMPILE)
$(GUEST_ELFS): guests
	@:

# Linux 6.1 and its initramfs (guests/linux/), for the manifests that
# /incbin/ "Image" and "initramfs.cpio". scripts/build-linux.sh keeps its
# own cache outside the clone, keyed by everything that goes into them: it
# runs every time, and a hit takes about a second and leaves unchanged
# files (and their mtimes) alone, so what depends on them is rebuilt only
# when they change.
LINUX_DIR := $(TBUILD)/linux-guest
LINUX_OUT := $(LINUX_DIR)/Image $(LINUX_DIR)/initramfs.cpio

linux-guest: | $(DEPS_STAMP)
	@scripts/build-linux.sh $(XLEN) $(LINUX_DIR)
$(LINUX_OUT): linux-guest
	@:
ifneq ($(shell grep -s 'incbin/("Image")' images/$(IMAGE).dts),)
$(MANIFEST): $(LINUX_OUT)
endif

# Linux 6.12 with perf (rv64 only), for the manifests that /incbin/
# "Image-6.12" and "initramfs-6.12.cpio": built the same way by
# scripts/build-linux-6.12.sh, its initramfs the 6.1 guest's plus perf.
# Only such an image asks for it.
LINUX612_DIR := $(TBUILD)/linux-6.12-guest
LINUX612_OUT := $(LINUX612_DIR)/Image-6.12 $(LINUX612_DIR)/initramfs-6.12.cpio

linux-6.12-guest: $(LINUX_OUT) | $(DEPS_STAMP)
	@[ $(XLEN) = 64 ] || { echo "the Linux 6.12 guest is rv64 only (TARGET=$(TARGET))" >&2; exit 1; }
	@scripts/build-linux-6.12.sh $(LINUX612_DIR) $(LINUX_DIR)/initramfs.cpio
$(LINUX612_OUT): linux-6.12-guest
	@:
ifneq ($(shell grep -s 'incbin/("Image-6.12")' images/$(IMAGE).dts),)
$(MANIFEST): $(LINUX612_OUT)
endif

# Manifests go through cpp first, so they can say #if DIOSIX_XLEN == 32.
# Every file the manifest pulls in is a prerequisite: what cpp #includes
# and every /incbin/ (a guest, a kernel Image, an initramfs, a blob in
# images/), as dtc found it on its -i path (dtc -d). So a rebuilt kernel
# is what the next build carries. Each also gets an empty rule, so one
# that has gone away makes the manifest rebuild (and dtc say what is
# missing) instead of stopping make.
MANIFEST_DEPS := $(IBUILD)/manifest.d
-include $(MANIFEST_DEPS)

# FUZZ_SEED and FUZZ_CALLS, if given, reach images/fuzz.dts the same way;
# the stamp holds the -D flags, so changing them rebuilds the manifest.
MANIFEST_DEFS := $(if $(FUZZ_SEED),-DFUZZ_SEED=$(FUZZ_SEED)) \
	$(if $(FUZZ_CALLS),-DFUZZ_CALLS=$(FUZZ_CALLS))
DEFS_STAMP := $(IBUILD)/.manifest-defs
$(DEFS_STAMP): FORCE
	@mkdir -p $(@D) && { echo '$(MANIFEST_DEFS)' | cmp -s - $@ || \
		echo '$(MANIFEST_DEFS)' > $@; }
FORCE:

$(MANIFEST): images/$(IMAGE).dts $(GUEST_ELFS) $(DEFS_STAMP) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@cpp -P -nostdinc -undef -x assembler-with-cpp -Iimages $(MANIFEST_DEFS) \
		-MD -MF $(IBUILD)/manifest.cpp.d -MT $@ \
		-DDIOSIX_XLEN=$(XLEN) -DDIOSIX_TARGET_$(subst -,_,$(TARGET))=1 $< > $(IBUILD)/manifest.dts
	@dtc -q -I dts -O dtb -i $(GUEST_DIR) -i $(LINUX_DIR) -i $(LINUX612_DIR) -i images -d $(IBUILD)/manifest.dtc.d \
		-o $@ $(IBUILD)/manifest.dts
	@deps=$$(cat $(IBUILD)/manifest.cpp.d $(IBUILD)/manifest.dtc.d | sed -e 's/\\$$//' -e 's/^[^:]*://' | \
		tr ' ' '\n' | grep -v -x -e '' -e '$(IBUILD)/manifest.dts' | sort -u); \
		{ echo $@: $$deps; for d in $$deps; do echo "$$d:"; done; } > $(MANIFEST_DEPS)
	@echo " DTC      $(TARGET)/$(IMAGE)/manifest.dtb"

$(BUNDLE): $(MANIFEST) platform/diosix/bundle.S $(BUNDLE_H)
	@$(CC_CROSS) $(if $(filter 32,$(XLEN)),-march=rv32imac -mabi=ilp32,-march=rv64imac -mabi=lp64) \
		-nostdlib -static -no-pie -Wl,-Ttext=0 -Wl,--build-id=none -Ihyp/include \
		-DMANIFEST_DTB='"$(MANIFEST)"' -o $(IBUILD)/bundle.elf platform/diosix/bundle.S
	@$(OBJCOPY) -O binary $(IBUILD)/bundle.elf $@
	@echo " BUNDLE   $(TARGET)/$(IMAGE)/bundle.bin"

include mk/host.mk

# The board's device tree, for checking the devices a manifest gives to
# containers: QEMU writes the tree of the machine it would boot; a HiFive
# board's is the one its SD card carries, from Debian's U-Boot.
ifndef BOARD
BOARD_DTB := $(TBUILD)/board-$(SMP)-$(MEM_MIB).dtb
$(BOARD_DTB): | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(QEMU) -M $(QEMU_MACHINE),dumpdtb=$@ -m $(MEM_MIB)M -smp $(SMP) -bios none -nographic >/dev/null 2>&1
else
BOARD_DTB := $(TBUILD)/board.dtb
$(BOARD_DTB): scripts/board-dtb.sh scripts/fetch-uboot-sifive.sh | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@uboot=$$(scripts/fetch-uboot-sifive.sh) && scripts/board-dtb.sh "$$uboot/$(BOARD)" $@
endif

# The host-side check of the manifest, against this target's RAM model.
# One stamp per setting, so a build with the check off never marks it done.
CHECK_STAMP := $(IBUILD)/.manifest-checked-$(MANIFEST_CHECK)
$(CHECK_STAMP): $(BUNDLE) $(MANIFEST_CHECKER) $(BOARD_DTB)
ifeq ($(MANIFEST_CHECK),yes)
	@$(MANIFEST_CHECKER) --xlen $(XLEN) --ram $(RAM_BASE):$(MEM_MIB) \
		--pmp-regions $(PMP_REGIONS) --board $(BOARD_DTB) \
		--reserve $(RAM_BASE):$$(( $(PAYLOAD_OFFSET) + $$(stat -c %s $(BUNDLE)) )) \
		--reserve $$(( $(RAM_BASE) + $(MEM_MIB) * 1048576 - 2097152 )):2097152 \
		$(MANIFEST) || { echo "make: images/$(IMAGE).dts fails the manifest check (MANIFEST_CHECK=no to boot it anyway)"; exit 1; }
endif
	@touch $@

check-manifest: $(CHECK_STAMP)

# --- firmware --------------------------------------------------------------

# One OpenSBI build tree per target; images differ only in the payload,
# so a new payload relinks fw_payload and nothing else.
$(FW_ELF): $(BUNDLE) $(CHECK_STAMP) $(FW_SOURCES) $(OSBI_STAMP)
	@mkdir -p $(OSBI_BUILD)
	@flock $(TBUILD)/.opensbi.lock $(MAKE) -s --no-print-directory link-firmware

# What decides how OpenSBI and hyp/ are compiled: OpenSBI's make does not
# notice when these change, so a change starts the target's tree afresh.
OSBI_CONFIG := platform/diosix/objects.mk platform/diosix/Kconfig \
	platform/diosix/configs/defconfig hyp/objects.mk mk/bundle.mk $(BUNDLE_H)

OSBI_MAKE = $(MAKE) -s -C opensbi CROSS_COMPILE=$(CROSS_COMPILE) PLATFORM_RISCV_XLEN=$(XLEN) \
	PLATFORM_DIR=$(TOP)/platform/diosix O=$(OSBI_BUILD) \
	FW_PAYLOAD_PATH=$(OSBI_BUILD)/last-payload.bin
# OpenSBI's rule for a platform's .S dependency files does not wait for
# the Kconfig header that every compile includes, so on a fresh tree the
# header comes first, alone (a goal naming "config" reads no .dep files).
OSBI_KCONFIG_H = $(OSBI_BUILD)/platform/diosix/kconfig/autoconf.h

# Under the per-target lock: two images of one target may build at once.
link-firmware:
	@if [ -n "$$(find $(OSBI_CONFIG) -newer $(OSBI_BUILD)/.config-stamp 2>&1)" ]; then \
		rm -rf $(OSBI_BUILD) && mkdir -p $(OSBI_BUILD) && touch $(OSBI_BUILD)/.config-stamp; fi
	@if ! cmp -s $(BUNDLE) $(OSBI_BUILD)/last-payload.bin; then \
		rm -f $(OSBI_FW)/fw_payload.o $(OSBI_FW)/fw_payload.elf $(OSBI_FW)/fw_payload.bin; \
		cp $(BUNDLE) $(OSBI_BUILD)/last-payload.bin; fi
	@[ -f $(OSBI_KCONFIG_H) ] || $(OSBI_MAKE) $(OSBI_KCONFIG_H)
	@$(OSBI_MAKE) -j$$(nproc) $(OSBI_FW)/$(FW_KIND).elf $(OSBI_FW)/$(FW_KIND).bin
	@cp $(OSBI_FW)/$(FW_KIND).elf $(OSBI_FW)/$(FW_KIND).bin $(IBUILD)/
	@echo " FIRMWARE $(TARGET)/$(IMAGE)/$(FW_KIND).elf"

$(FW_BIN): $(FW_ELF)

# A board's SD card: Debian's U-Boot SPL for it, then a FIT with the
# firmware, the bundle and the board's device tree (scripts/mk-sdcard.sh).
$(SDCARD): $(FW_BIN) $(BUNDLE) $(BUNDLE_H) scripts/mk-sdcard.sh scripts/fetch-uboot-sifive.sh | $(DEPS_STAMP)
	@uboot=$$(scripts/fetch-uboot-sifive.sh) && \
		scripts/mk-sdcard.sh "$$uboot/$(BOARD)" $(FW_BIN) $(BUNDLE) $(IBUILD) && \
		cp "$$uboot/$(BOARD)/u-boot-spl.bin" $(IBUILD)/
	@echo " SDCARD   $(TARGET)/$(IMAGE)/sdcard.img"
# --- stock OpenSBI ---------------------------------------------------------

# OpenSBI's own generic platform from the same tree: the reference the
# guest-side SBI tests and the benchmarks compare against.
STOCK_BUILD := $(TBUILD)/stock-opensbi
STOCK_FW := $(STOCK_BUILD)/platform/generic/firmware/fw_jump.bin

$(STOCK_FW): $(OSBI_STAMP)
	@mkdir -p $(STOCK_BUILD)
	@flock $(STOCK_BUILD)/.lock $(MAKE) -s -C opensbi CROSS_COMPILE=$(CROSS_COMPILE) \
		PLATFORM_RISCV_XLEN=$(XLEN) PLATFORM=generic O=$(STOCK_BUILD) -j$$(nproc) \
		$(STOCK_FW)
	@echo " STOCK    $(TARGET)/stock-opensbi/fw_jump.bin"

stock-opensbi: $(STOCK_FW)

# The QEMU command that boots guest ELF GUEST on stock OpenSBI.
stock-qemu-cmd:
	@echo '$(QEMU) -M $(QEMU_MACHINE) -m $(MEM_MIB)M -smp $(SMP) -nographic -bios $(STOCK_FW) -kernel $(or $(STOCK_KERNEL),$(GUEST_DIR)/$(GUEST).elf) $(QEMU_ARGS)'

# --- running ---------------------------------------------------------------

ifdef QEMU
qemu-cmd: $(if $(DEVICE_QEMU_ARGS),$(NET_FORWARD))
	@echo '$(QEMU_CMD)'

run: firmware
	@echo '$(QEMU_CMD)'
	@scripts/qemu-tty.sh $(QEMU_CMD)

debug: firmware
	@$(DEBUG_RECIPE); \
		echo "$$qemu"; \
		echo "QEMU waits for gdb at 127.0.0.1:$$port; in another terminal:"; \
		echo "$$gdb"; \
		$$qemu

debug-cmd:
	@$(DEBUG_RECIPE); echo "$$qemu"; echo "$$gdb"
else
qemu-cmd run debug debug-cmd: firmware
	@echo "make: QEMU has no model of $(TARGET): write $(SDCARD) to an SD card (README: Deploying on a board)"
	@exit 1
endif

# --- debugging -------------------------------------------------------------

# make debug: QEMU stopped at reset with its gdb stub on 127.0.0.1, and
# the gdb-multiarch command that debugs it (docs/debugging.md). The port
# is GDB_PORT, or one the kernel finds free; chosen once, in the shell,
# so both command lines name the same one. The firmware's ELF is linked
# at 0 and runs where it was loaded, at the start of RAM; the guests'
# symbols come from scripts/diosix-gdb.py, which reads where the firmware
# placed each container from its own state ("diosix start").
GDB := gdb-multiarch
GDB_PORT ?=
CONTAINER ?=
FREE_PORT := python3 -c 'import socket; s = socket.socket(); \
	s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
DEBUG_RECIPE = port=$(or $(GDB_PORT),$$($(FREE_PORT))); \
	qemu="$(QEMU_CMD) -S -gdb tcp:127.0.0.1:$$port"; \
	gdb="$(GDB) -q -nx -ex 'symbol-file -o $(RAM_BASE) $(FW_ELF)' \
		-x $(TOP)/scripts/diosix-gdb.py -ex 'target remote 127.0.0.1:$$port' \
		-ex 'diosix start$(if $(CONTAINER), $(CONTAINER))'"

# --- help ------------------------------------------------------------------

# The commands, the targets (mk/targets.mk) and each image with the first
# line of its header comment.
help:
	@echo 'make run [IMAGE=<image>] [TARGET=<target>] [SMP=<n>] [QEMU_ARGS=...]   build and boot in QEMU'
	@echo 'make test [TESTS=<substring>]   every test (or those whose name holds it)'
	@echo 'make [IMAGE=<image>] [TARGET=<target>]   build only (boards: the SD card image too)'
	@echo 'make fuzz [TARGET=<target>] [FUZZ_SEED=<n>] [FUZZ_CALLS=<n>] [FUZZ_RESTARTS=<n>]   the SBI fuzzer, a million calls'
	@echo 'make debug [IMAGE=<image>] [TARGET=<target>] [CONTAINER=<name>] [GDB_PORT=<port>]   boot stopped, for gdb'
	@echo 'make unit | bench | check-manifest | stock-opensbi | qemu-cmd | debug-cmd | clean | distclean'
	@echo
	@echo "targets: $$(sed -n 's/^\(else \)\?ifeq (\$$(TARGET),\([^)]*\))$$/\2/p' mk/targets.mk | tr '\n' ' ')(default qemu-virt-rv64)"
	@echo
	@echo 'images (default demo):'
	@for f in images/*.dts; do \
		awk -v n="$$(basename $$f .dts)" 'NR > 1 { sub(/^(\/\*| \*) */, ""); sub(/ *\*\/$$/, ""); \
			if ($$0 != "") { printf "  %-14s %s\n", n, $$0; exit } }' $$f; \
	done

# --- tests -----------------------------------------------------------------

test: $(DEPS_STAMP) $(OSBI_STAMP)
	@DIOSIX_TESTS="$(TESTS)" python3 tests/run.py

bench: $(DEPS_STAMP) $(OSBI_STAMP)
	@python3 tests/bench.py --target $(TARGET)

# The SBI fuzzer at length (docs/fuzz.md): FUZZ_CALLS calls (default a
# million) from a random seed unless FUZZ_SEED is given, and at least
# FUZZ_RESTARTS (default 100) restarts of the self-stopping guest.
fuzz: $(DEPS_STAMP) $(OSBI_STAMP)
	@python3 tests/fuzz.py --target $(TARGET) --calls $(or $(FUZZ_CALLS),1000000) \
		--restarts $(or $(FUZZ_RESTARTS),100) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))

clean:
	rm -rf build guests/build

distclean: clean
	rm -rf opensbi
