/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a run directory's meta.json, for the commands that read runs
 * (compare, export).  What they take from it is theirs.
 */
#ifndef DMABENCH_META_READ_H
#define DMABENCH_META_READ_H

#include <jansson.h>

/*
 * DIR/meta.json, parsed: 0 with the document in *doc (json_decref() it)
 * and its non-empty "boots" array in *boots; or -errno after a message
 * naming the file and the fix (a directory holding a boot's part.json is
 * named as a part that 'dmabench collect' merges first).
 */
int meta_read(const char *dir, json_t **doc, json_t **boots);

#endif
