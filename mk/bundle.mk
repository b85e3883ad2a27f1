# SPDX-License-Identifier: BSD-2-Clause
#
# The bundle's format and place have one definition, hyp/include/hyp/bundle.h.
# $(call bundle_def,NAME) is the value on its "#define NAME value" line.
# Included by the top-level Makefile (mk/targets.mk) and by OpenSBI's make
# (platform/diosix/objects.mk), so the path is found from this file.

BUNDLE_H := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../hyp/include/hyp/bundle.h)
bundle_def = $(shell sed -n 's/^[#]define $(1)[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' $(BUNDLE_H))
