// SPDX-License-Identifier: GPL-2.0
/*
 * Parse "a.b.c.d[,a.b.c.d...]". Pure C: built into lego.ko and tests/unit.
 */
#include "lego/addrs.h"

/* One dotted quad ending at @end; host-order result in @addr. */
static int lego_parse_ipv4(const char *s, const char *end, u32 *addr)
{
	unsigned int octets = 0, digits = 0, value = 0;
	u32 result = 0;

	for (; s < end; s++) {
		if (*s >= '0' && *s <= '9') {
			/* no leading zeros: "010" reads as octal elsewhere */
			if (digits && !value)
				return -EINVAL;
			value = value * 10 + (unsigned int)(*s - '0');
			if (++digits > 3 || value > 255)
				return -EINVAL;
		} else if (*s == '.' && digits && octets < 3) {
			result = (result << 8) | value;
			octets++;
			digits = 0;
			value = 0;
		} else {
			return -EINVAL;
		}
	}
	if (octets != 3 || !digits)
		return -EINVAL;
	*addr = (result << 8) | value;
	return 0;
}

/**
 * lego_parse_addrs() - parse a comma list of IPv4 addresses
 * @s: the list; empty means none
 * @addrs: where the addresses go, host byte order
 * @max: room in @addrs
 * @nr: set to the number parsed
 *
 * Return: 0, or -EINVAL for a malformed, repeated, 0.0.0.0 or broadcast
 * address or more than @max of them.
 */
int lego_parse_addrs(const char *s, u32 *addrs, unsigned int max,
		     unsigned int *nr)
{
	unsigned int n = 0, i;
	const char *end;

	while (*s) {
		u32 addr;

		end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		if (n == max || lego_parse_ipv4(s, end, &addr) ||
		    !addr || addr == 0xffffffffU)
			return -EINVAL;
		for (i = 0; i < n; i++)
			if (addrs[i] == addr)
				return -EINVAL;
		addrs[n++] = addr;
		if (!*end)
			break;
		s = end + 1;
		if (!*s)	/* trailing comma */
			return -EINVAL;
	}
	*nr = n;
	return 0;
}
