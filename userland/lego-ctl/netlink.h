/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lego-ctl's side of the "lego" generic netlink family (libnl-genl-3).
 */
#ifndef _LEGO_CTL_NETLINK_H
#define _LEGO_CTL_NETLINK_H

#include "status.h"

/* Returned when the family is not registered: lego.ko is not loaded. */
#define LEGO_NL_NO_FAMILY	1

int lego_nl_status(struct lego_status *st);

#endif /* _LEGO_CTL_NETLINK_H */
