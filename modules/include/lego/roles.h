/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Roles of a host: pure logic shared by lego.ko and the unit tests.
 */
#ifndef _LEGO_ROLES_H
#define _LEGO_ROLES_H

#include "lego/compat.h"
#include "lego/genl.h"

/* Longest role list: "pmon,mmon,smon". */
#define LEGO_ROLES_MAXLEN	16

int lego_parse_roles(const char *s, u32 *mask);
const char *lego_role_name(u32 role);
int lego_format_roles(u32 mask, char *buf, size_t size);

#endif /* _LEGO_ROLES_H */
