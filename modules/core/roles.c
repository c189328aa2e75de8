// SPDX-License-Identifier: GPL-2.0
/*
 * Parse and print role lists ("pmon", "mmon,smon", ...). Pure C: built into
 * lego.ko and into tests/unit/test_roles.
 */
#include "lego/roles.h"

static const struct {
	u32 bit;
	const char *name;
} lego_roles[] = {
	{ LEGO_ROLE_PMON, "pmon" },
	{ LEGO_ROLE_MMON, "mmon" },
	{ LEGO_ROLE_SMON, "smon" },
};

const char *lego_role_name(u32 role)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lego_roles); i++)
		if (lego_roles[i].bit == role)
			return lego_roles[i].name;
	return NULL;
}

static u32 lego_role_lookup(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lego_roles); i++)
		if (strlen(lego_roles[i].name) == len &&
		    !strncmp(lego_roles[i].name, s, len))
			return lego_roles[i].bit;
	return 0;
}

/**
 * lego_parse_roles() - parse a comma list of roles into LEGO_ROLE_* bits
 * @s: the list, e.g. "pmon" or "pmon,mmon"; one trailing newline is allowed
 * @mask: set to the roles on success
 *
 * Return: 0, or -EINVAL for an empty list, an empty item, an unknown or a
 * repeated role (a repeat is most likely a typo for another role).
 */
int lego_parse_roles(const char *s, u32 *mask)
{
	size_t len = strlen(s);
	u32 roles = 0;

	if (len && s[len - 1] == '\n')
		len--;
	if (!len)
		return -EINVAL;

	while (len) {
		const char *comma = memchr(s, ',', len);
		size_t item = comma ? (size_t)(comma - s) : len;
		u32 bit = lego_role_lookup(s, item);

		if (!bit || (roles & bit))
			return -EINVAL;
		roles |= bit;
		if (!comma)
			break;
		len -= item + 1;
		s = comma + 1;
		if (!len)	/* trailing comma */
			return -EINVAL;
	}
	*mask = roles;
	return 0;
}

/**
 * lego_format_roles() - print LEGO_ROLE_* bits as a comma list
 * @mask: the roles
 * @buf: where to print
 * @size: size of @buf, LEGO_ROLES_MAXLEN is always enough
 *
 * Return: the length printed, or -EINVAL for unknown bits or a short buffer.
 */
int lego_format_roles(u32 mask, char *buf, size_t size)
{
	size_t i, len = 0;

	if (mask & ~LEGO_ROLE_ALL || !size)
		return -EINVAL;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(lego_roles); i++) {
		size_t n = strlen(lego_roles[i].name);

		if (!(mask & lego_roles[i].bit))
			continue;
		if (len + !!len + n + 1 > size)
			return -EINVAL;
		if (len)
			buf[len++] = ',';
		memcpy(buf + len, lego_roles[i].name, n + 1);
		len += n;
	}
	return (int)len;
}
