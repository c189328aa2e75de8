// SPDX-License-Identifier: GPL-2.0
/*
 * The caller's mappings in a range, from /proc/self/maps, read with
 * read(2) into a buffer on the stack: this may run under malloc, so it
 * allocates nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "maps.h"

/* Longer than a line: "START-END PERMS OFFSET DEV INODE" and a path. */
#define LEGO_MAPS_BUF	8192

/* Hex digits from @s into *@v: past them, or NULL if there are none. */
static const char *lego_hex(const char *s, const char *end, uint64_t *v)
{
	const char *p;

	*v = 0;
	for (p = s; p < end; p++) {
		if (*p >= '0' && *p <= '9')
			*v = *v << 4 | (uint64_t)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			*v = *v << 4 | (uint64_t)(*p - 'a' + 10);
		else
			break;
	}
	return p > s ? p : NULL;
}

/**
 * lego_maps_line() - one line of /proc/self/maps
 * @line: its start
 * @end: its end (the newline)
 * @pc: set to the mapping: "START-END PERMS ..." in hex and "rwxp"
 *
 * Return: 0, or -EINVAL if the line does not read so.
 */
int lego_maps_line(const char *line, const char *end, struct lego_piece *pc)
{
	const char *p = lego_hex(line, end, &pc->start);

	if (!p || p == end || *p != '-')
		return -EINVAL;
	p = lego_hex(p + 1, end, &pc->end);
	if (!p || end - p < 5 || *p != ' ' || pc->end <= pc->start)
		return -EINVAL;
	pc->prot = (p[1] == 'r' ? PROT_READ : 0) |
		   (p[2] == 'w' ? PROT_WRITE : 0) |
		   (p[3] == 'x' ? PROT_EXEC : 0);
	return 0;
}

struct lego_walk {
	uint64_t next;		/* [next, hi) is still to see */
	uint64_t hi;
	int (*fn)(const struct lego_piece *pc, void *arg);
	void *arg;
};

/*
 * One mapping, clipped to what is still to see: the file is read in
 * several calls, between which a mapping may change and show again.
 * Return: 1 once the range is seen, 0 to go on, or -errno.
 */
static int lego_walk_piece(struct lego_walk *w, struct lego_piece pc)
{
	int ret;

	if (pc.end <= w->next)
		return 0;
	if (pc.start > w->next)
		return -EFAULT;		/* a hole */
	pc.start = w->next;
	if (pc.end > w->hi)
		pc.end = w->hi;
	ret = w->fn(&pc, w->arg);
	if (ret)
		return ret;
	w->next = pc.end;
	return w->next == w->hi;
}

/* Every line in the first @have bytes of @buf; *@have left is the rest. */
static int lego_walk_lines(struct lego_walk *w, char *buf, size_t *have)
{
	char *line = buf, *nl;
	struct lego_piece pc;
	int ret = 0;

	while (!ret && (nl = memchr(line, '\n', buf + *have - line))) {
		ret = lego_maps_line(line, nl, &pc) ? -EIO :
						      lego_walk_piece(w, pc);
		line = nl + 1;
	}
	*have -= line - buf;
	memmove(buf, line, *have);
	return ret;
}

/**
 * lego_maps_walk() - the caller's mappings in [@lo, @hi)
 * @lo: page-aligned start
 * @hi: page-aligned end
 * @fn: called with each mapping, clipped to the range, in address order;
 *	returns 0 to go on, or a negative errno to stop the walk
 * @arg: passed to @fn
 *
 * Return: 0, -EFAULT if some of the range is not mapped (the part before
 * the hole was seen), @fn's error, or another negative errno.
 */
int lego_maps_walk(uint64_t lo, uint64_t hi,
		   int (*fn)(const struct lego_piece *pc, void *arg),
		   void *arg)
{
	struct lego_walk w = { .next = lo, .hi = hi, .fn = fn, .arg = arg };
	char buf[LEGO_MAPS_BUF];
	size_t have = 0;
	ssize_t n;
	int fd, ret = 0;

	if (lo >= hi)
		return 0;
	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (!ret) {
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n <= 0) {
			ret = n ? -errno : -EFAULT;	/* the end: a hole */
			break;
		}
		have += n;
		ret = lego_walk_lines(&w, buf, &have);
		if (!ret && have == sizeof(buf))
			ret = -EIO;	/* a line longer than the buffer */
	}
	close(fd);
	return ret < 0 ? ret : 0;
}
