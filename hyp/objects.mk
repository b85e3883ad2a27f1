# SPDX-License-Identifier: BSD-2-Clause
#
# The hypervisor core. Built into the firmware through platform/diosix and,
# for the unit tests, for the host (tests/unit).

hyp-objs-y += lib.o log.o ticks.o vcons.o console.o fwlog.o
hyp-objs-y += manifest.o place.o loader.o gfdt.o
hyp-objs-y += container.o vcpu.o sched.o trap.o boot.o
hyp-objs-y += sbi.o sbi_base.o sbi_time.o sbi_srst.o sbi_dbcn.o sbi_legacy.o
hyp-objs-y += sbi_hsm.o sbi_ipi.o gpt.o
