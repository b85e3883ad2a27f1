// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console input: the UART's input belongs to the container with focus;
 * the others read nothing, so no container can take another's keys.
 */
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/hal.h>

static struct container *focus;

void console_set_focus(struct container *c)
{
	focus = c;
}

int console_getc_for(struct container *c)
{
	if (c != focus)
		return -1;
	return hal_console_getc();
}
