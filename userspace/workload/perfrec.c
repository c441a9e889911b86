// SPDX-License-Identifier: GPL-2.0
/*
 * --perf-record: perf record around a workload, its samples folded into
 * one line per call stack.  Programs are run with proc.h.
 *
 * perf starts with its events disabled (--delay=-1) and a control FIFO
 * (--control=fifo:ctl,ack, perf 5.9 and later); "enable" is written to
 * it, and perf's "ack" on the other FIFO says that recording has begun,
 * so that no fixed sleep has to guess how long perf takes to start.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "perfrec.h"
#include "proc.h"
#include "util.h"
#include "workload.h"

/*
 * Seconds for perf to enable its events.  On hardware that is well under
 * a second; in the lab's emulated guests perf record -a -g takes about a
 * minute to synthesize the system's threads before it acknowledges.
 */
#define PERF_START_TIMEOUT	180.0

/* Folding perf script's output */

struct stack {
	char *key;		/* comm;outermost;...;innermost */
	unsigned long n;
	struct stack *next;
};

struct fold {
	struct stack **tab;
	size_t nbuckets, count;
	char **frames;		/* of the sample being read, innermost first */
	size_t nframes, cap;
	char *comm;		/* NULL: not inside a sample */
	long samples;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

static int grow_table(struct fold *f)
{
	size_t n = f->nbuckets ? f->nbuckets * 4 : 1024;
	struct stack **tab = calloc(n, sizeof(*tab)), *s, *next;

	if (!tab)
		return -ENOMEM;
	for (size_t i = 0; i < f->nbuckets; i++) {
		for (s = f->tab[i]; s; s = next) {
			next = s->next;
			s->next = tab[hash(s->key) % n];
			tab[hash(s->key) % n] = s;
		}
	}
	free(f->tab);
	f->tab = tab;
	f->nbuckets = n;
	return 0;
}

static int count_stack(struct fold *f, char *key)
{
	struct stack *s, **b;

	if (f->count >= f->nbuckets * 2 && grow_table(f)) {
		free(key);
		return -ENOMEM;
	}
	b = &f->tab[hash(key) % f->nbuckets];
	for (s = *b; s; s = s->next) {
		if (!strcmp(s->key, key)) {
			s->n++;
			free(key);
			return 0;
		}
	}
	s = malloc(sizeof(*s));
	if (!s) {
		free(key);
		return -ENOMEM;
	}
	s->key = key;
	s->n = 1;
	s->next = *b;
	*b = s;
	f->count++;
	return 0;
}

/* ';' separates frames in a folded line: none may hold one. */
static void no_semicolons(char *s)
{
	for (; *s; s++)
		if (*s == ';')
			*s = ':';
}

/* The sample read so far, counted under its stack. */
static int end_sample(struct fold *f)
{
	size_t len;
	char *key, *p;

	if (!f->comm)
		return 0;
	len = strlen(f->comm) + 1;
	for (size_t i = 0; i < f->nframes; i++)
		len += strlen(f->frames[i]) + 1;
	key = malloc(len);
	if (key) {
		p = stpcpy(key, f->comm);
		for (size_t i = f->nframes; i-- > 0;)
			p = stpcpy(stpcpy(p, ";"), f->frames[i]);
	}
	for (size_t i = 0; i < f->nframes; i++)
		free(f->frames[i]);
	f->nframes = 0;
	free(f->comm);
	f->comm = NULL;
	if (!key)
		return -ENOMEM;
	f->samples++;
	return count_stack(f, key);
}

static bool all_of(const char *s, size_t len, const char *set)
{
	return len > 0 && strspn(s, set) >= len;
}

/* "1234" or "1234/1240": the pid (and tid) field of a header. */
static bool is_pid(const char *s, size_t len)
{
	size_t a = strspn(s, "0123456789");

	if (a == len)
		return a > 0;
	return a > 0 && s[a] == '/' && all_of(s + a + 1, len - a - 1, "0123456789");
}

/*
 * One frame, "<address> <symbol>[+0x<offset>] [(<dso>)]": the symbol's
 * name, or [unknown].
 */
static int add_frame(struct fold *f, const char *line)
{
	const char *sym = line + strspn(line, " \t");
	const char *end, *open;
	char **frames;

	sym += strcspn(sym, " \t");	/* the address */
	sym += strspn(sym, " \t");
	end = sym + strlen(sym);
	while (end > sym && isspace((unsigned char)end[-1]))
		end--;
	/* perf's default fields add " (dso)" */
	if (end > sym && end[-1] == ')') {
		for (open = end - 1; open > sym && *open != '('; open--)
			;
		if (open > sym && open[-1] == ' ' && (open[1] == '/' || open[1] == '['))
			for (end = open; end > sym && end[-1] == ' '; end--)
				;
	}
	/* ... and "+0x<offset>" */
	for (open = end; open > sym && isxdigit((unsigned char)open[-1]); open--)
		;
	if (open - sym >= 3 && open < end && !strncmp(open - 3, "+0x", 3))
		end = open - 3;
	if (f->nframes == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		frames = realloc(f->frames, f->cap * sizeof(*frames));
		if (!frames)
			return -ENOMEM;
		f->frames = frames;
	}
	if (end == sym)
		f->frames[f->nframes] = strdup("[unknown]");
	else
		f->frames[f->nframes] = strndup(sym, end - sym);
	if (!f->frames[f->nframes])
		return -ENOMEM;
	no_semicolons(f->frames[f->nframes++]);
	return 0;
}

/*
 * A header, "<comm> <pid>[/<tid>] ...": comm may hold spaces, so it is
 * all before the first pid-like word after the first.  Without call
 * chains the sample's only frame follows the pid on the same line.
 */
static int start_sample(struct fold *f, const char *line)
{
	const char *p = line + strspn(line, " "), *w, *comm_end = NULL;
	size_t len;
	int err;

	err = end_sample(f);
	if (err)
		return err;
	len = strcspn(p, " \t");
	for (w = p + len; *w; w += len) {
		w += strspn(w, " \t");
		len = strcspn(w, " \t");
		if (is_pid(w, len)) {
			comm_end = w;
			break;
		}
	}
	if (!comm_end)
		comm_end = p + strcspn(p, " \t");
	while (comm_end > p && isspace((unsigned char)comm_end[-1]))
		comm_end--;
	f->comm = comm_end > p ? strndup(p, comm_end - p) : strdup("[unknown]");
	if (!f->comm)
		return -ENOMEM;
	no_semicolons(f->comm);
	if (!*w)
		return 0;
	w += len;
	w += strspn(w, " \t");
	len = strcspn(w, " \t");
	if (all_of(w, len, "0123456789abcdef") && w[len])
		return add_frame(f, w);
	return 0;
}

static int cmp_stack(const void *a, const void *b)
{
	const struct stack *x = *(const struct stack *const *)a;
	const struct stack *y = *(const struct stack *const *)b;

	return strcmp(x->key, y->key);
}

static int write_folded(struct fold *f, FILE *out)
{
	struct stack **all = malloc((f->count + 1) * sizeof(*all)), *s;
	size_t n = 0;

	if (!all)
		return -ENOMEM;
	for (size_t i = 0; i < f->nbuckets; i++)
		for (s = f->tab[i]; s; s = s->next)
			all[n++] = s;
	qsort(all, n, sizeof(*all), cmp_stack);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s %lu\n", all[i]->key, all[i]->n);
	free(all);
	return ferror(out) ? -EIO : 0;
}

static void free_fold(struct fold *f)
{
	struct stack *s, *next;

	for (size_t i = 0; i < f->nbuckets; i++) {
		for (s = f->tab[i]; s; s = next) {
			next = s->next;
			free(s->key);
			free(s);
		}
	}
	free(f->tab);
	for (size_t i = 0; i < f->nframes; i++)
		free(f->frames[i]);
	free(f->frames);
	free(f->comm);
}

long perf_fold(FILE *in, FILE *out)
{
	struct fold f = { 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int err = grow_table(&f);

	while (!err && (len = getline(&line, &cap, in)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len || strspn(line, " \t") == (size_t)len)
			err = end_sample(&f);
		else if (line[0] == '\t')
			err = f.comm ? add_frame(&f, line) : 0;
		else
			err = start_sample(&f, line);
	}
	if (!err && ferror(in))
		err = -EIO;
	if (!err)
		err = end_sample(&f);
	if (!err)
		err = write_folded(&f, out);
	free(line);
	free_fold(&f);
	return err ? err : f.samples;
}

/* perf record */

struct perfrec {
	pid_t pid;
	char dir[32];		/* ours: the FIFOs, perf's messages, its data */
	char local[64];		/* perf.data while perf runs, in dir */
	char data[PATH_MAX];	/* where perf.data is kept in the end */
	char perf[PATH_MAX];
	int ctl, ack;
};

static void dir_file(const struct perfrec *p, const char *name, char *path,
		     size_t size)
{
	snprintf(path, size, "%s/%s", p->dir, name);
}

static void cleanup(struct perfrec *p)
{
	static const char *const names[] = { "ctl", "ack", "log", "perf.data" };
	char path[64];

	if (p->ctl >= 0)
		close(p->ctl);
	if (p->ack >= 0)
		close(p->ack);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		dir_file(p, names[i], path, sizeof(path));
		unlink(path);
	}
	rmdir(p->dir);
	free(p);
}

/* Why perf stopped: its first message, or its exit status. */
static void perf_failed(struct perfrec *p, const char *what, int status,
			char *why, size_t size)
{
	char log[64], line[200];

	dir_file(p, "log", log, sizeof(log));
	prog_log_line(log, line, sizeof(line));
	if (line[0])
		snprintf(why, size, "%s: %s", what, line);
	else if (WIFSIGNALED(status))
		snprintf(why, size, "%s: killed by signal %d", what,
			 WTERMSIG(status));
	else
		snprintf(why, size, "%s: exit status %d", what,
			 WEXITSTATUS(status));
}

/* Enable the events and wait for perf's ack. */
static int enable(struct perfrec *p, char *why, size_t size)
{
	double end = now_seconds() + PERF_START_TIMEOUT;
	struct pollfd pfd = { .fd = p->ack, .events = POLLIN };
	char buf[16];
	int status;
	ssize_t n;

	if (write(p->ctl, "enable\n", 7) != 7) {
		snprintf(why, size, "perf record: control FIFO: %s", strerror(errno));
		return -EIO;
	}
	while (now_seconds() < end) {
		if (poll(&pfd, 1, 100) > 0) {
			n = read(p->ack, buf, sizeof(buf) - 1);
			if (n > 0 && !strncmp(buf, "ack", 3))
				return 0;
		}
		if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
			p->pid = -1;
			perf_failed(p, "perf record stopped", status, why, size);
			return -ECHILD;
		}
	}
	snprintf(why, size, "perf record did not enable its events in %.0f s",
		 PERF_START_TIMEOUT);
	return -ETIMEDOUT;
}

static int make_fifos(struct perfrec *p, char *why, size_t size)
{
	char ctl[64], ack[64];

	dir_file(p, "ctl", ctl, sizeof(ctl));
	dir_file(p, "ack", ack, sizeof(ack));
	if (mkfifo(ctl, 0600) || mkfifo(ack, 0600)) {
		snprintf(why, size, "%s: %s", p->dir, strerror(errno));
		return -errno;
	}
	/* Read-write, as perf opens them: neither open waits for the other. */
	p->ctl = open(ctl, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	p->ack = open(ack, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (p->ctl < 0 || p->ack < 0) {
		snprintf(why, size, "%s: %s", p->dir, strerror(errno));
		return -errno;
	}
	return 0;
}

struct perfrec *perfrec_start(const char *data_path, char *why, size_t size)
{
	char control[160], log[64];
	char *argv[] = { "perf", "record", "-a", "-g", "-o", NULL, "--quiet",
			 "--delay=-1", control, NULL };
	struct perfrec *p = calloc(1, sizeof(*p));
	int fd, status;

	if (!p) {
		snprintf(why, size, "out of memory");
		return NULL;
	}
	p->pid = -1;
	p->ctl = p->ack = -1;
	snprintf(p->dir, sizeof(p->dir), "/tmp/dmabench-perf-XXXXXX");
	if (prog_find("perf", p->perf, sizeof(p->perf))) {
		snprintf(why, size, "perf is not installed (Debian: apt install linux-perf)");
		free(p);
		return NULL;
	}
	if (fmt_buf(p->data, sizeof(p->data), "%s", data_path) ||
	    !mkdtemp(p->dir)) {
		snprintf(why, size, "perf record: no temporary directory: %s",
			 strerror(errno));
		free(p);
		return NULL;
	}
	if (make_fifos(p, why, size))
		goto fail;
	snprintf(control, sizeof(control), "--control=fifo:%s/ctl,%s/ack",
		 p->dir, p->dir);
	argv[0] = p->perf;
	/*
	 * perf writes its data in a local directory first: on some file
	 * systems (the lab guest's 9p share) its writes fail with EFAULT.
	 * perfrec_stop() copies it to where it is kept.
	 */
	dir_file(p, "perf.data", p->local, sizeof(p->local));
	argv[5] = p->local;
	dir_file(p, "log", log, sizeof(log));
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	p->pid = prog_spawn(argv, NULL, fd, fd);
	if (fd >= 0)
		close(fd);
	if (p->pid < 0) {
		snprintf(why, size, "perf record: %s", strerror(-p->pid));
		goto fail;
	}
	if (!enable(p, why, size))
		return p;
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, &status, 0);
	}
fail:
	cleanup(p);
	return NULL;
}

/* perf script's output folded into folded_path. */
static int fold_script(struct perfrec *p, const char *folded_path,
		       char *why, size_t size)
{
	char *argv[] = { p->perf, "script", "-i", p->local,
			 "-F", "comm,pid,tid,ip,sym", NULL };
	char log[64];
	int pipefd[2], fd, err, status = 0;
	FILE *in, *out;
	pid_t pid;
	long n;

	out = fopen(folded_path, "we");
	if (!out) {
		snprintf(why, size, "%s: %s", folded_path, strerror(errno));
		return -errno;
	}
	if (pipe2(pipefd, O_CLOEXEC)) {
		err = -errno;
		fclose(out);
		snprintf(why, size, "perf script: %s", strerror(-err));
		return err;
	}
	dir_file(p, "log", log, sizeof(log));
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	pid = prog_spawn(argv, NULL, pipefd[1], fd);
	if (fd >= 0)
		close(fd);
	close(pipefd[1]);
	in = fdopen(pipefd[0], "r");
	n = in ? perf_fold(in, out) : -ENOMEM;
	if (in)
		fclose(in);
	else
		close(pipefd[0]);
	if (pid > 0)
		while (prog_wait(pid, -1, &status) == -EINTR)
			;
	err = fclose(out) ? -errno : 0;
	if (pid < 0) {
		snprintf(why, size, "perf script: %s", strerror(-pid));
		return pid;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		perf_failed(p, "perf script", status, why, size);
		return -EIO;
	}
	if (n < 0 || err) {
		snprintf(why, size, "%s: %s", folded_path,
			 strerror(n < 0 ? (int)-n : -err));
		return n < 0 ? (int)n : err;
	}
	return 0;
}

int perfrec_stop(struct perfrec *p, const char *folded_path,
		 char *why, size_t size)
{
	int status = 0, err;

	kill(p->pid, SIGINT);
	while ((err = prog_wait(p->pid, -1, &status)) == -EINTR)
		;
	/* perf record ends as SIGINT asked it to: 0, or that signal again. */
	if (err || !((WIFEXITED(status) && !WEXITSTATUS(status)) ||
		     (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT))) {
		perf_failed(p, "perf record", status, why, size);
		cleanup(p);
		return -EIO;
	}
	err = fold_script(p, folded_path, why, size);
	if (!err) {
		err = copy_file(p->local, p->data);
		if (err)
			snprintf(why, size, "perf record: keeping %s: %s",
				 p->data, strerror(-err));
	}
	cleanup(p);
	return err;
}

/* A point's recording */

int perfrec_check(void)
{
	char path[PATH_MAX];

	if (!prog_find("perf", path, sizeof(path)))
		return 0;
	warnx("--perf-record: perf is not installed (Debian: apt install linux-perf)");
	return -1;
}

struct perfrec *perfrec_point_start(struct wl_out *w, const char *tool,
				    unsigned int n, char *why, size_t size)
{
	char data[PATH_MAX], rel[PATH_MAX];

	if (wl_out_point_path(w, tool, n, ".perf.data", data, rel)) {
		snprintf(why, size, "perf record: the path of %s-%u.perf.data is too long",
			 tool, n);
		return NULL;
	}
	return perfrec_start(data, why, size);
}

int perfrec_point_stop(struct perfrec *p, struct wl_out *w, const char *tool,
		       unsigned int n, char *profile, char *why, size_t size)
{
	char folded[PATH_MAX], rel[PATH_MAX];
	int err;

	profile[0] = '\0';
	err = wl_out_point_path(w, tool, n, ".folded", folded, rel);
	if (err) {
		snprintf(why, size, "perf record: the path of %s-%u.folded is too long",
			 tool, n);
		folded[0] = '\0';
	}
	/* Stopped whatever the path: perf must not outlive the point. */
	err = perfrec_stop(p, err ? "/dev/null" : folded, why, size) ?: err;
	if (!err)
		snprintf(profile, PATH_MAX, "%s", rel);
	return err;
}

void perfrec_point_drop(struct wl_out *w, const char *tool, unsigned int n)
{
	wl_out_unlink(w, tool, n, ".perf.data");
	wl_out_unlink(w, tool, n, ".folded");
}

void perfrec_json(struct json *j, const char *profile, const char *why)
{
	json_obj_begin(j, "perf_record");
	json_str(j, "profile", profile);
	json_str(j, "error", why);
	json_obj_end(j);
}
