# SPDX-License-Identifier: BSD-2-Clause
#
# diosix as an OpenSBI platform: the glue here plus the hypervisor core in
# hyp/, compiled into the platform library.

hyp_dir := $(platform_src_dir)/../../hyp
include $(hyp_dir)/objects.mk

platform-genflags-y += -I$(hyp_dir)/include
# A static PIE needs no exported symbols. With default visibility, a
# pointer to a global in initialised data (OpenSBI's own domain_list, for
# one) is emitted as a symbolic R_RISCV_64/32 relocation, which OpenSBI's
# self-relocation skips; hidden makes every such pointer R_RISCV_RELATIVE.
platform-cflags-y += -fvisibility=hidden

dx-objs-y := platform.o dx_boot.o dx_heap.o dx_trap.o dx_entry.o dx_hal.o dx_domain.o dx_fp.o dx_vec.o dx_h.o dx_dbtr.o dx_pmu.o dx_console.o dx_plic.o dx_clock.o
platform-objs-y += $(dx-objs-y) $(addprefix ../../hyp/,$(hyp-objs-y))

# The hypervisor and its glue build with -Wextra too (OpenSBI's -Werror
# already makes every warning an error). The glue implements OpenSBI
# callbacks whose parameters it does not always need.
$(addprefix $(platform_build_dir)/../../hyp/,$(hyp-objs-y)): CFLAGS += -Wextra
$(addprefix $(platform_build_dir)/,$(dx-objs-y)): CFLAGS += -Wextra -Wno-unused-parameter

FW_PAYLOAD=y
# HiFive boards: U-Boot SPL loads the firmware and the bundle from a FIT.
FW_DYNAMIC=y
# Where the bundle goes: BUNDLE_PAYLOAD_OFFSET in hyp/bundle.h.
include $(platform_src_dir)/../../mk/bundle.mk
FW_PAYLOAD_OFFSET=$(call bundle_def,BUNDLE_PAYLOAD_OFFSET)
