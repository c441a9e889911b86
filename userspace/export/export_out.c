// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench export: the three formats.
 *
 *   lkp    "name.metric: value", one line per point and metric, as an LKP
 *          stats script prints them (LKP adds the suite's name itself);
 *          points whose status is not ok have no figures and no line
 *   lava   one lava-test-case call per point and metric, with
 *          --measurement and --units; a point that is not ok is one call
 *          with --result skip (unsupported, refused) or fail
 *   kcidb  a KCIDB v4 document: a checkout per kernel (release, version
 *          string), a build per kernel and configuration (the hash of the
 *          CONFIG_ options the run recorded), a test per point whose
 *          number is its first figure (the median, or the rate of a
 *          workload), the others under misc
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "export.h"
#include "json.h"

static void full_name(char *buf, size_t size, const struct exp_opts *o,
		      const struct exp_point *p, const char *metric)
{
	snprintf(buf, size, "%s%s%s%s%s", o->prefix ? o->prefix : "",
		 o->prefix && o->prefix[0] ? "." : "", p->name,
		 metric ? "." : "", metric ? metric : "");
}

void exp_print_lkp(const struct exp_run *r, const struct exp_opts *o,
		   FILE *f)
{
	char name[256], num[48];

	for (size_t i = 0; i < r->npts; i++) {
		const struct exp_point *p = &r->pts[i];

		if (p->status != EXP_OK)
			continue;
		for (size_t k = 0; k < p->nm; k++) {
			full_name(name, sizeof(name), o, p, p->m[k].name);
			csv_fmt_num(num, sizeof(num), p->m[k].value);
			fprintf(f, "%s: %s\n", name, num);
		}
	}
}

void exp_print_lava(const struct exp_run *r, const struct exp_opts *o,
		    FILE *f)
{
	char name[256], num[48];

	for (size_t i = 0; i < r->npts; i++) {
		const struct exp_point *p = &r->pts[i];

		if (p->status != EXP_OK) {
			full_name(name, sizeof(name), o, p, NULL);
			fprintf(f, "lava-test-case %s --result %s\n", name,
				p->status == EXP_SKIP ? "skip" : "fail");
			continue;
		}
		for (size_t k = 0; k < p->nm; k++) {
			full_name(name, sizeof(name), o, p, p->m[k].name);
			csv_fmt_num(num, sizeof(num), p->m[k].value);
			fprintf(f, "lava-test-case %s --result pass --measurement %s --units %s\n",
				name, num, p->m[k].unit);
		}
	}
}

/* KCIDB */

struct kc_ids {
	size_t *checkout;		/* per boot: index of its checkout */
	size_t *build;			/* per boot: index of its build */
	size_t ncheckouts, nbuilds;
	size_t *first_c, *first_b;	/* the boot that stands for each */
};

static bool same_kernel(const struct exp_boot *a, const struct exp_boot *b)
{
	return !strcmp(a->release, b->release) &&
	       !strcmp(a->version, b->version);
}

static int kc_index(const struct exp_run *r, struct kc_ids *k)
{
	size_t n = r->nboots ? r->nboots : 1;

	k->checkout = calloc(n, sizeof(size_t));
	k->build = calloc(n, sizeof(size_t));
	k->first_c = calloc(n, sizeof(size_t));
	k->first_b = calloc(n, sizeof(size_t));
	if (!k->checkout || !k->build || !k->first_c || !k->first_b)
		return -1;
	for (size_t i = 0; i < r->nboots; i++) {
		const struct exp_boot *b = &r->boots[i];
		size_t c, d;

		for (c = 0; c < k->ncheckouts; c++)
			if (same_kernel(&r->boots[k->first_c[c]], b))
				break;
		if (c == k->ncheckouts)
			k->first_c[k->ncheckouts++] = i;
		k->checkout[i] = c;
		for (d = 0; d < k->nbuilds; d++) {
			const struct exp_boot *o = &r->boots[k->first_b[d]];

			if (k->checkout[k->first_b[d]] == c &&
			    o->config_hash == b->config_hash)
				break;
		}
		if (d == k->nbuilds)
			k->first_b[k->nbuilds++] = i;
		k->build[i] = d;
	}
	return 0;
}

static void kc_free(struct kc_ids *k)
{
	free(k->checkout);
	free(k->build);
	free(k->first_c);
	free(k->first_b);
}

/* "origin:given" or "origin:derived", ".N" added when several share it. */
static void kc_id(char *buf, size_t size, const char *origin,
		  const char *given, const char *derived, size_t i, size_t n)
{
	if (given && n > 1)
		snprintf(buf, size, "%s:%s.%zu", origin, given, i);
	else
		snprintf(buf, size, "%s:%s", origin, given ? given : derived);
}

static void checkout_id(char *buf, size_t size, const struct exp_run *r,
			const struct exp_opts *o, const struct kc_ids *k,
			size_t c)
{
	const struct exp_boot *b = &r->boots[k->first_c[c]];
	char derived[192];

	snprintf(derived, sizeof(derived), "%s-%08" PRIx64, b->release,
		 exp_fnv1a(b->version, strlen(b->version)) & (uint64_t)0xffffffff);
	kc_id(buf, size, o->origin, o->checkout_id, derived, c,
	      k->ncheckouts);
}

static void config_hash(char *buf, size_t size, const struct exp_boot *b)
{
	if (b->has_config)
		snprintf(buf, size, "%016" PRIx64, b->config_hash);
	else
		snprintf(buf, size, "unknown");
}

static void build_id(char *buf, size_t size, const struct exp_run *r,
		     const struct exp_opts *o, const struct kc_ids *k, size_t d)
{
	const struct exp_boot *b = &r->boots[k->first_b[d]];
	char derived[192], hash[24];

	config_hash(hash, sizeof(hash), b);
	snprintf(derived, sizeof(derived), "%s-config-%s", b->release, hash);
	kc_id(buf, size, o->origin, o->build_id, derived, d, k->nbuilds);
}

static void kc_checkouts(struct json *j, const struct exp_run *r,
			 const struct exp_opts *o, const struct kc_ids *k)
{
	char id[320], text[512];

	json_arr_begin(j, "checkouts");
	for (size_t c = 0; c < k->ncheckouts; c++) {
		const struct exp_boot *b = &r->boots[k->first_c[c]];

		checkout_id(id, sizeof(id), r, o, k, c);
		json_obj_begin(j, NULL);
		json_str(j, "id", id);
		json_str(j, "origin", o->origin);
		snprintf(text, sizeof(text), "Linux %s %s", b->release,
			 b->version);
		json_str(j, "comment", text);
		json_bool(j, "valid", true);
		json_obj_begin(j, "misc");
		json_str(j, "kernel_release", b->release);
		json_str(j, "kernel_version", b->version);
		json_obj_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* A KCIDB identifier (origin, architecture): [a-z0-9_]+. */
bool exp_kcidb_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

static void kc_builds(struct json *j, const struct exp_run *r,
		      const struct exp_opts *o, const struct kc_ids *k)
{
	char id[320], cid[320], hash[24], text[320];

	json_arr_begin(j, "builds");
	for (size_t d = 0; d < k->nbuilds; d++) {
		size_t boot = k->first_b[d];
		const struct exp_boot *b = &r->boots[boot];

		build_id(id, sizeof(id), r, o, k, d);
		checkout_id(cid, sizeof(cid), r, o, k, k->checkout[boot]);
		config_hash(hash, sizeof(hash), b);
		json_obj_begin(j, NULL);
		json_str(j, "id", id);
		json_str(j, "origin", o->origin);
		json_str(j, "checkout_id", cid);
		snprintf(text, sizeof(text), "%s, config hash %s", b->release,
			 hash);
		json_str(j, "comment", text);
		if (b->config_file[0])
			json_str(j, "config_name", b->config_file);
		if (exp_kcidb_word(b->arch))
			json_str(j, "architecture", b->arch);
		json_bool(j, "valid", true);
		json_obj_begin(j, "misc");
		json_str(j, "config_hash", hash);
		json_str(j, "config_hash_of",
			 "FNV-1a 64 of the CONFIG_ options meta.json records (the DMA-relevant ones), as compact JSON");
		json_obj_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void kc_test(struct json *j, const struct exp_run *r,
		    const struct exp_opts *o, const struct kc_ids *k,
		    const struct exp_point *p)
{
	const struct exp_boot *b = NULL;
	char id[512], bid[320], path[256], env[320];
	size_t boot = p->boot < r->nboots ? p->boot : 0;

	if (r->nboots)
		b = &r->boots[boot];
	full_name(path, sizeof(path), o, p, NULL);
	snprintf(id, sizeof(id), "%s:%s.%s", o->origin,
		 o->test_id ? o->test_id : r->name, p->name);
	json_obj_begin(j, NULL);
	json_str(j, "id", id);
	json_str(j, "origin", o->origin);
	if (b) {
		build_id(bid, sizeof(bid), r, o, k, k->build[boot]);
		json_str(j, "build_id", bid);
	}
	json_str(j, "path", path);
	if (p->status == EXP_OK && p->nm) {
		json_str(j, "status", "DONE");
		json_obj_begin(j, "number");
		json_num(j, "value", p->m[0].value);
		json_str(j, "unit", p->m[0].unit);
		json_obj_end(j);
	} else {
		json_str(j, "status", p->status == EXP_FAIL ? "ERROR" : "SKIP");
		if (p->note[0])
			json_str(j, "comment", p->note);
	}
	if (r->date[0])
		json_str(j, "start_time", r->date);
	if (b) {
		json_obj_begin(j, "environment");
		snprintf(env, sizeof(env), "%s%s%s%s", b->host,
			 b->host[0] ? ", " : "", b->cpu,
			 r->emulated ? " (emulated: QEMU TCG)" : "");
		json_str(j, "comment", env);
		json_obj_end(j);
	}
	json_obj_begin(j, "misc");
	json_str(j, "run", r->name);
	json_str(j, "row_status", p->status_text);
	json_bool(j, "emulated", r->emulated);
	if (r->rev[0])
		json_str(j, "dmabench_rev", r->rev);
	for (size_t m = 0; m < p->nm; m++)
		json_num(j, p->m[m].name, p->m[m].value);
	json_obj_end(j);
	json_obj_end(j);
}

int exp_print_kcidb(const struct exp_run *r, const struct exp_opts *o,
		    FILE *f)
{
	struct kc_ids k = { 0 };
	struct json j;

	if (kc_index(r, &k)) {
		kc_free(&k);
		return -ENOMEM;
	}
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_obj_begin(&j, "version");
	json_int(&j, "major", 4);
	json_int(&j, "minor", 5);
	json_obj_end(&j);
	kc_checkouts(&j, r, o, &k);
	kc_builds(&j, r, o, &k);
	json_arr_begin(&j, "tests");
	for (size_t i = 0; i < r->npts; i++)
		kc_test(&j, r, o, &k, &r->pts[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	kc_free(&k);
	return 0;
}
