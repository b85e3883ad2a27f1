# SPDX-License-Identifier: BSD-2-Clause
#
# Host builds of hyp/: the unit tests (with sanitizers) and the manifest
# checker. hyp/ reaches the machine only through hal.h, so on the host it
# links against a fake HAL instead of OpenSBI.

HOST_BUILD := $(BUILD)/host
HOST_CC ?= cc
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -DHYP_HOST -Ihyp/include
HOST_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
include hyp/objects.mk
HYP_SRCS := $(addprefix hyp/,$(hyp-objs-y:.o=.c))
HYP_HDRS := $(wildcard hyp/include/hyp/*.h)

MANIFEST_CHECKER := $(HOST_BUILD)/manifest-check
CHECKER_SRCS := tools/manifest-check.c tools/host_hal.c \
	$(addprefix hyp/,lib.c log.c vcons.c ticks.c manifest.c place.c loader.c devtree.c)

$(MANIFEST_CHECKER): $(CHECKER_SRCS) $(HYP_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(HOST_CC) $(HOST_CFLAGS) -o $@ $(CHECKER_SRCS) -lfdt

UNIT_BIN := $(HOST_BUILD)/unit-tests
UNIT_SRCS := $(wildcard tests/unit/*.c)

$(UNIT_BIN): $(UNIT_SRCS) $(HYP_SRCS) $(HYP_HDRS) $(wildcard tests/unit/*.h) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(HOST_CC) $(HOST_CFLAGS) $(HOST_SAN) -Itests/unit -o $@ $(UNIT_SRCS) $(HYP_SRCS) -lfdt

unit-bin: $(UNIT_BIN)

unit: $(UNIT_BIN)
	@$(UNIT_BIN)
