# SPDX-License-Identifier: BSD-2-Clause
#
# The hypervisor core. Built into the firmware through platform/diosix and,
# for the unit tests, for the host (tests/unit).

hyp-objs-y += lib.o log.o ticks.o vcons.o console.o fwlog.o
hyp-objs-y += manifest.o place.o loader.o gfdt.o
hyp-objs-y += container.o vcpu.o sched.o trap.o boot.o
hyp-objs-y += vsbi.o vsbi_base.o vsbi_time.o vsbi_srst.o vsbi_dbcn.o vsbi_legacy.o
hyp-objs-y += vsbi_hsm.o vsbi_ipi.o vsbi_sta.o vsbi_susp.o vsbi_fwft.o vsbi_dbtr.o vsbi_pmu.o gpt.o
hyp-objs-y += vplic.o mmio.o devtree.o devices.o gfdt_dev.o
