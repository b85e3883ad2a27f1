#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# mk-sdcard.sh UBOOT_BOARD_DIR FW_BIN BUNDLE OUT_DIR
#
# The SD card of a HiFive board, laid out as U-Boot documents for the
# Unleashed and the Unmatched: a GPT with U-Boot SPL in partition 1
# (sectors 34-2081, the type the boot ROM (ZSBL) looks for) and, from
# sector 2082 where SPL reads it, a FIT image in partition 2:
#
#   firmware  diosix (OpenSBI fw_dynamic + hyp/) at 0x80000000
#   bundle    manifest and guest images at 0x80400000 (BUNDLE_PAYLOAD_OFFSET
#             in hyp/include/hyp/bundle.h): SPL passes it to
#             OpenSBI as the next stage, so the boot hart enters it
#   fdt       the board's device tree, from Debian's own u-boot.itb
#
# Writes OUT_DIR/diosix.its, diosix.itb, board.dtb and sdcard.img.
set -eu

board=${1:?usage: mk-sdcard.sh UBOOT_BOARD_DIR FW_BIN BUNDLE OUT_DIR}
fw=$2
bundle=$3
out=$4

SPL_TYPE=5B193300-FC78-40CD-8002-E86C45580B47	# ZSBL: U-Boot SPL
FIT_TYPE=2E54B353-1271-4842-806F-E436D6AF6985	# the next stage
FIT_SECTOR=2082			# CONFIG_SYS_MMCSD_RAW_MODE_U_BOOT_SECTOR
FW_ADDR=0x80000000
# The value on hyp/bundle.h's "#define $1 value" line: its one definition.
bundle_def() {
	sed -n "s/^#define $1[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p" \
		"$(dirname "$0")/../hyp/include/hyp/bundle.h"
}
BUNDLE_ADDR=$(printf '0x%x' $((FW_ADDR + $(bundle_def BUNDLE_PAYLOAD_OFFSET))))
# The last 128 KiB below the bundle: the firmware's heap grows up towards
# it and stops below it (dx_heap_size), and the firmware keeps it out of
# the containers' RAM.
FDT_ADDR=$(printf '0x%x' $((BUNDLE_ADDR - 0x20000)))

# The device tree of the FIT's default configuration, and its name: SPL
# takes the configuration whose description names its own board.
itb=$board/u-boot.itb
conf=$(fdtget "$itb" /configurations default)
dt_name=$(fdtget "$itb" "/configurations/$conf" description)
"$(dirname "$0")/board-dtb.sh" "$board" "$out/board.dtb"

hi() { printf '0x0 %s' "$1"; }	# a 64-bit address as two cells
cat >"$out/diosix.its" <<ITS
/dts-v1/;

/ {
	description = "diosix for $(basename "$board")";
	#address-cells = <2>;

	images {
		diosix {
			description = "diosix: OpenSBI 1.6 fw_dynamic with the hypervisor";
			data = /incbin/("$fw");
			type = "firmware";
			os = "opensbi";
			arch = "riscv";
			compression = "none";
			load = <$(hi $FW_ADDR)>;
			entry = <$(hi $FW_ADDR)>;
		};
		bundle {
			description = "diosix bundle: manifest and guest images";
			data = /incbin/("$bundle");
			type = "standalone";
			os = "U-Boot";
			arch = "riscv";
			compression = "none";
			load = <$(hi $BUNDLE_ADDR)>;
			entry = <$(hi $BUNDLE_ADDR)>;
		};
		fdt {
			description = "$(basename "$board") device tree";
			data = /incbin/("$out/board.dtb");
			type = "flat_dt";
			arch = "riscv";
			compression = "none";
			load = <$(hi $FDT_ADDR)>;
		};
	};

	configurations {
		default = "diosix";
		diosix {
			description = "$dt_name";
			firmware = "diosix";
			loadables = "bundle";
			fdt = "fdt";
		};
	};
};
ITS
# External data (-E): SPL reads each image straight to its load address
# rather than the whole FIT into its small heap first.
mkimage -q -E -f "$out/diosix.its" "$out/diosix.itb"

# A power of two, as QEMU's SD card model wants, 16 MiB at least.
fit_sectors=$((($(stat -c %s "$out/diosix.itb") + 511) / 512))
need=$(((FIT_SECTOR + fit_sectors + 34) * 512))
size=$((16 << 20))
while [ "$size" -lt "$need" ]; do
	size=$((size * 2))
done
rm -f "$out/sdcard.img"
truncate -s "$size" "$out/sdcard.img"
sfdisk -q --no-reread --no-tell-kernel "$out/sdcard.img" >/dev/null <<GPT
label: gpt
first-lba: 34
start=34, size=2048, type=$SPL_TYPE, name="spl"
start=$FIT_SECTOR, size=$((size / 512 - FIT_SECTOR - 34)), type=$FIT_TYPE, name="diosix"
GPT
dd if="$board/u-boot-spl.bin" of="$out/sdcard.img" bs=512 seek=34 conv=notrunc status=none
dd if="$out/diosix.itb" of="$out/sdcard.img" bs=512 seek=$FIT_SECTOR conv=notrunc status=none
