/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-ctl run: execute a program in a vNode, liblego preloaded.
 */
#ifndef _LEGO_CTL_RUN_H
#define _LEGO_CTL_RUN_H

#include "args.h"

/* Exit status of a program that could not be executed, as in a shell. */
#define LEGO_CTL_EXEC_FAILED	127

int lego_run_exec(const struct lego_ctl_args *args, char *const argv[]);

#endif /* _LEGO_CTL_RUN_H */
