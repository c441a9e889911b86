// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a run directory's meta.json: the file, jansson's parse, and
 * the check that it is a run (a "boots" array with at least one boot).
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "json.h"
#include "meta_read.h"
#include "util.h"

int meta_read(const char *dir, json_t **doc, json_t **boots)
{
	char path[PATH_MAX], part[PATH_MAX];
	int err;

	*doc = NULL;
	*boots = NULL;
	err = fmt_buf(path, sizeof(path), "%s/meta.json", dir);
	if (err)
		return err;
	err = json_read_file(path, doc);
	if (err == -EBADMSG)
		return err;
	if (err) {
		if (!fmt_buf(part, sizeof(part), "%s/part.json", dir) &&
		    path_exists(part))
			warnx("%s: a part, not a run: merge parts with 'dmabench collect' first",
			      dir);
		else
			warnx("%s: %s (give a run directory)", path,
			      strerror(-err));
		return err;
	}
	*boots = json_object_get(*doc, "boots");
	if (!json_is_array(*boots) || !json_array_size(*boots)) {
		warnx("%s: no boots in it: not a dmabench run", path);
		json_decref(*doc);
		*doc = NULL;
		*boots = NULL;
		return -EINVAL;
	}
	return 0;
}
