/* SPDX-License-Identifier: GPL-2.0 */
/* See kernel.h beside this file. */
#include <linux/kernel.h>
