// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench rdma: the device.  Which one (--dev, --addr through librdmacm,
 * or the first by name), what it is, its port and the GID its queue
 * pairs use.
 *
 * What it is decides how its figures read: the DMA path (soft RDMA or
 * its parent device's) is told by dmapath.c, from facts read here.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rdma/rdma_cma.h>

#include "dmapath.h"
#include "names.h"
#include "rdma.h"
#include "util.h"

#define SYS_IB		"/sys/class/infiniband"
/* An IPv4-mapped GID (::ffff:a.b.c.d), as RoCE gives an IPv4 address. */
bool rdma_gid_ipv4(const union ibv_gid *gid, char *ip, size_t size)
{
	static const uint8_t prefix[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	if (memcmp(gid->raw, prefix, sizeof(prefix)))
		return false;
	if (ip && !inet_ntop(AF_INET, gid->raw + 12, ip, size))
		return false;
	return true;
}

static const char *gid_type_name(uint32_t type)
{
	switch (type) {
	case IBV_GID_TYPE_IB:
		return "IB";
	case IBV_GID_TYPE_ROCE_V1:
		return "RoCE v1";
	case IBV_GID_TYPE_ROCE_V2:
		return "RoCE v2";
	}
	return "unknown";
}

static const char *transport_name(enum ibv_transport_type t)
{
	switch (t) {
	case IBV_TRANSPORT_IB:
		return "ib";
	case IBV_TRANSPORT_IWARP:
		return "iwarp";
	case IBV_TRANSPORT_USNIC:
	case IBV_TRANSPORT_USNIC_UDP:
		return "usnic";
	case IBV_TRANSPORT_UNSPECIFIED:
		return "unspecified";
	default:
		return "unknown";
	}
}

static void sysfs_text(const char *dev, const char *attr, char *buf,
		       size_t size)
{
	char path[256];

	buf[0] = '\0';
	if (fmt_buf(path, sizeof(path), SYS_IB "/%s/%s", dev, attr) ||
	    read_text(path, buf, size))
		buf[0] = '\0';
}

/* Facts from sysfs and /proc/cmdline, then what they say. */
static void classify(struct rdma_dev *d)
{
	struct dma_facts f = { .name = d->name, .vendor_id = d->vendor_id };
	char path[256], cmdline[4096] = "";
	const char *soft;

	sysfs_text(d->name, "node_desc", d->node_desc, sizeof(d->node_desc));
	sysfs_text(d->name, "parent", d->netdev, sizeof(d->netdev));
	f.node_desc = d->node_desc;
	f.rxe_parent = d->netdev[0] != '\0';
	if (!d->netdev[0] &&
	    !fmt_buf(path, sizeof(path), "ports/%u/gid_attrs/ndevs/0",
		     d->port ? d->port : 1))
		sysfs_text(d->name, path, d->netdev, sizeof(d->netdev));
	if (!fmt_buf(path, sizeof(path), SYS_IB "/%s/device", d->name) &&
	    !read_link_name(path, d->parent, sizeof(d->parent)))
		f.has_device = true;
	if (f.has_device &&
	    !fmt_buf(path, sizeof(path), SYS_IB "/%s/device/driver", d->name))
		read_link_name(path, d->driver, sizeof(d->driver));
	if (f.has_device &&
	    !fmt_buf(path, sizeof(path), SYS_IB "/%s/device/iommu_group/type",
		     d->name) &&
	    !read_text(path, d->group_type, sizeof(d->group_type)))
		f.group_type = d->group_type;
	if (read_text("/proc/cmdline", cmdline, sizeof(cmdline)))
		cmdline[0] = '\0';
	f.cmdline = cmdline;
	d->path = dma_path_classify(&f, &soft, d->why, sizeof(d->why));
	d->soft = soft != NULL;
	/* A soft device's "device" is its network device's parent, if any. */
	if (d->soft) {
		snprintf(d->driver, sizeof(d->driver), "%s",
			 !strcmp(soft, "siw") ? "siw" : "rdma_rxe");
		d->group_type[0] = '\0';
	}
}

/* The GID the queue pairs use: --gid-index, else the best one found. */
static int gid_score(const struct rdma_dev *d, const struct ibv_gid_entry *e)
{
	char ip[INET_ADDRSTRLEN];
	bool v4 = rdma_gid_ipv4(&e->gid, ip, sizeof(ip));
	bool v2 = e->gid_type == IBV_GID_TYPE_ROCE_V2;

	if (v2 && v4 && d->addr[0] && !strcmp(ip, d->addr))
		return 5;
	if (v2 && v4)
		return 4;
	if (v2)
		return 3;
	if (v4)
		return 2;
	return 1;
}

static int pick_gid(struct rdma_dev *d, int want)
{
	struct ibv_gid_entry e, best;
	int score, best_score = 0;
	int err;

	d->gid_index = -1;
	d->gid_type = "";
	if (want >= 0) {
		err = ibv_query_gid_ex(d->ctx, d->port, want, &e, 0);
		if (err) {
			warnx("--gid-index %d: no such GID on port %u of %s: %s",
			      want, d->port, d->name, strerror(err));
			return -EINVAL;
		}
		best = e;
		snprintf(d->gid_why, sizeof(d->gid_why), "--gid-index %d",
			 want);
	} else {
		for (int i = 0; i < d->pa.gid_tbl_len; i++) {
			if (ibv_query_gid_ex(d->ctx, d->port, i, &e, 0))
				continue;	/* an empty entry: ENODATA */
			score = gid_score(d, &e);
			if (score > best_score) {
				best = e;
				best_score = score;
			}
		}
		if (!best_score) {
			snprintf(d->gid_why, sizeof(d->gid_why),
				 "no GID on port %u (no IP address on its network device?)",
				 d->port);
			return 0;
		}
		snprintf(d->gid_why, sizeof(d->gid_why), "%s",
			 best_score >= 4 ? "the first RoCE v2 GID with an IPv4 address" :
			 best_score == 3 ? "the first RoCE v2 GID (none has an IPv4 address)" :
			 best_score == 2 ? "the first GID with an IPv4 address (none is RoCE v2)" :
			 "the first GID (none is RoCE v2 or IPv4)");
		if (best_score == 5)
			snprintf(d->gid_why, sizeof(d->gid_why),
				 "the RoCE v2 GID of --addr %s", d->addr);
	}
	d->gid_index = best.gid_index;
	d->gid = best.gid;
	d->gid_type = gid_type_name(best.gid_type);
	if (!inet_ntop(AF_INET6, d->gid.raw, d->gid_str, sizeof(d->gid_str)))
		d->gid_str[0] = '\0';
	return 0;
}

/* Query an open device and its port; say what it is. */
static int probe(struct rdma_dev *d, int gid_index)
{
	struct ibv_device_attr_ex ax;
	int err;

	memset(&ax, 0, sizeof(ax));
	err = ibv_query_device_ex(d->ctx, NULL, &ax);
	if (err) {
		snprintf(d->odp_why, sizeof(d->odp_why),
			 "ibv_query_device_ex: %s", strerror(err));
		err = ibv_query_device(d->ctx, &ax.orig_attr);
		if (err) {
			warnx("%s: ibv_query_device: %s", d->name, strerror(err));
			return -err;
		}
	} else {
		d->odp_known = true;
		d->odp = ax.odp_caps;
	}
	snprintf(d->fw_ver, sizeof(d->fw_ver), "%s", ax.orig_attr.fw_ver);
	d->vendor_id = ax.orig_attr.vendor_id;
	d->vendor_part_id = ax.orig_attr.vendor_part_id;
	d->max_mr_size = ax.orig_attr.max_mr_size;
	d->max_qp_wr = ax.orig_attr.max_qp_wr;
	d->max_cqe = ax.orig_attr.max_cqe;
	d->max_qp_rd_atom = ax.orig_attr.max_qp_rd_atom;
	d->node_type = ibv_node_type_str(d->ctx->device->node_type);
	d->transport = transport_name(d->ctx->device->transport_type);
	classify(d);
	if (d->port < 1 || d->port > ax.orig_attr.phys_port_cnt) {
		warnx("--port %u: %s has %u port%s, numbered from 1", d->port,
		      d->name, ax.orig_attr.phys_port_cnt,
		      ax.orig_attr.phys_port_cnt == 1 ? "" : "s");
		return -EINVAL;
	}
	err = ibv_query_port(d->ctx, d->port, &d->pa);
	if (err) {
		warnx("%s: ibv_query_port %u: %s", d->name, d->port, strerror(err));
		return -err;
	}
	d->ethernet = d->pa.link_layer == IBV_LINK_LAYER_ETHERNET;
	if (d->ethernet)
		return pick_gid(d, gid_index);
	d->gid_index = -1;
	snprintf(d->gid_why, sizeof(d->gid_why),
		 "InfiniBand link layer: addressed by LID %u", d->pa.lid);
	return 0;
}

/* librdmacm: which device and port own an IPv4 address. */
static int addr_device(const char *ip, char *name, size_t size, uint8_t *port)
{
	struct sockaddr_in sin;
	struct rdma_cm_id *id = NULL;
	int err = 0;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (inet_pton(AF_INET, ip, &sin.sin_addr) != 1) {
		warnx("--addr '%s': not an IPv4 address", ip);
		return -EINVAL;
	}
	if (rdma_create_id(NULL, &id, NULL, RDMA_PS_TCP)) {
		err = -errno;
		warnx("--addr %s: librdmacm cannot create an id: %s (is rdma_ucm loaded? modprobe rdma_ucm)",
		      ip, strerror(-err));
		return err;
	}
	if (rdma_bind_addr(id, (struct sockaddr *)&sin)) {
		err = -errno;
		warnx("--addr %s: librdmacm cannot bind to it: %s (is it an address of this machine?)",
		      ip, strerror(-err));
	} else if (!id->verbs) {
		err = -ENODEV;
		warnx("--addr %s: no RDMA device has it (for soft-RoCE: rdma link add rxe0 type rxe netdev <its network device>)",
		      ip);
	} else {
		snprintf(name, size, "%s", ibv_get_device_name(id->verbs->device));
		*port = id->port_num;
	}
	rdma_destroy_id(id);
	return err;
}

static int cmp_dev(const void *a, const void *b)
{
	struct ibv_device *x = *(struct ibv_device *const *)a;
	struct ibv_device *y = *(struct ibv_device *const *)b;

	return strcmp(ibv_get_device_name(x), ibv_get_device_name(y));
}

/* Why there is no device, as far as this machine can tell. */
static void no_devices(int err)
{
	if (!path_exists(SYS_IB) || dir_is_empty(SYS_IB))
		warnx("no RDMA device: %s is %s (load an RDMA driver; for soft-RoCE: modprobe rdma_rxe && rdma link add rxe0 type rxe netdev <network device with an IPv4 address>)",
		      SYS_IB, path_exists(SYS_IB) ? "empty" : "missing");
	else
		warnx("the kernel has RDMA devices (%s) but libibverbs finds none%s%s: is ib_uverbs loaded (modprobe ib_uverbs) and ibverbs-providers installed?",
		      SYS_IB, err ? ": " : "", err ? strerror(err) : "");
}

/*
 * The list, sorted by name (so that "the first" does not vary); NULL,
 * and why said, if there is no device.
 */
static struct ibv_device **dev_list(int *n)
{
	struct ibv_device **list = ibv_get_device_list(n);

	if (!list || *n <= 0) {
		no_devices(list ? 0 : errno);
		if (list)
			ibv_free_device_list(list);
		return NULL;
	}
	if (*n > 1)
		qsort(list, *n, sizeof(*list), cmp_dev);
	return list;
}

int rdma_dev_open(struct rdma_dev *d, const struct rdma_opts *o)
{
	struct ibv_device **list;
	char want[64] = "";
	uint8_t addr_port = 0;
	int n = 0, err;

	memset(d, 0, sizeof(*d));
	d->gid_index = -1;
	d->port = o->port;
	list = dev_list(&n);
	if (!list)
		return -ENODEV;
	if (o->addr) {
		err = addr_device(o->addr, want, sizeof(want), &addr_port);
		if (!err && o->dev && strcmp(o->dev, want)) {
			warnx("--dev %s, but --addr %s belongs to %s", o->dev,
			      o->addr, want);
			err = -EINVAL;
		}
		if (err) {
			ibv_free_device_list(list);
			return err;
		}
		snprintf(d->addr, sizeof(d->addr), "%s", o->addr);
		d->port = addr_port;
	} else if (o->dev) {
		snprintf(want, sizeof(want), "%s", o->dev);
	}
	for (int i = 0; i < n; i++) {
		if (want[0] && strcmp(ibv_get_device_name(list[i]), want))
			continue;
		snprintf(d->name, sizeof(d->name), "%s",
			 ibv_get_device_name(list[i]));
		d->ctx = ibv_open_device(list[i]);
		if (!d->ctx)
			warn("%s: cannot open it (permissions of /dev/infiniband/uverbs*?)",
			     d->name);
		break;
	}
	ibv_free_device_list(list);
	if (!d->name[0]) {
		warnx("--dev %s: no such RDMA device (dmabench rdma --list shows them)",
		      want);
		return -ENODEV;
	}
	if (!d->ctx)
		return -ENODEV;
	err = probe(d, o->gid_index);
	if (err)
		return err;
	d->pd = ibv_alloc_pd(d->ctx);
	if (!d->pd) {
		err = errno ? -errno : -ENOMEM;
		warnx("%s: ibv_alloc_pd: %s", d->name, strerror(-err));
		return err;
	}
	return 0;
}

void rdma_dev_close(struct rdma_dev *d)
{
	if (d->pd)
		ibv_dealloc_pd(d->pd);
	d->pd = NULL;
	if (d->ctx)
		ibv_close_device(d->ctx);
	d->ctx = NULL;
}

/* On-demand paging on RC queue pairs, with what rc_need names. */
bool rdma_dev_odp(const struct rdma_dev *d, uint32_t rc_need)
{
	return d->odp_known && (d->odp.general_caps & IBV_ODP_SUPPORT) &&
	       (d->odp.per_transport_caps.rc_odp_caps & rc_need) == rc_need;
}

/* NULL if the port can carry the loopback pair; else why not. */
const char *rdma_port_problem(const struct rdma_dev *d, char *buf,
			      size_t size)
{
	if (d->ctx->device->transport_type == IBV_TRANSPORT_IWARP) {
		snprintf(buf, size,
			 "%s is iWARP: its queue pairs connect only through the RDMA CM, and dmabench connects its loopback pair by hand (RoCE and InfiniBand only)",
			 d->name);
		return buf;
	}
	if (d->pa.state != IBV_PORT_ACTIVE) {
		snprintf(buf, size, "port %u of %s is %s, not ACTIVE (%s)",
			 d->port, d->name, ibv_port_state_str(d->pa.state),
			 d->ethernet ? "is its network device up?" :
			 "is a subnet manager running?");
		return buf;
	}
	if (d->ethernet && d->gid_index < 0) {
		snprintf(buf, size, "%s: %s", d->name, d->gid_why);
		return buf;
	}
	if (!d->ethernet && !d->pa.lid) {
		snprintf(buf, size, "port %u of %s has no LID (is a subnet manager running?)",
			 d->port, d->name);
		return buf;
	}
	return NULL;
}

static void odp_line(FILE *f, const struct rdma_dev *d)
{
	uint32_t rc = d->odp.per_transport_caps.rc_odp_caps;

	if (!d->odp_known) {
		fprintf(f, "unknown (%s)", d->odp_why);
		return;
	}
	if (!(d->odp.general_caps & IBV_ODP_SUPPORT)) {
		fputs("none", f);
		return;
	}
	fprintf(f, "RC%s%s%s%s%s",
		rc & IBV_ODP_SUPPORT_SEND ? " send" : "",
		rc & IBV_ODP_SUPPORT_RECV ? " recv" : "",
		rc & IBV_ODP_SUPPORT_WRITE ? " write" : "",
		rc & IBV_ODP_SUPPORT_READ ? " read" : "",
		d->odp.general_caps & IBV_ODP_SUPPORT_IMPLICIT ? ", implicit" : "");
}

static void list_one(FILE *f, struct ibv_device *dev)
{
	struct rdma_dev d;
	char buf[160];

	memset(&d, 0, sizeof(d));
	d.port = 1;
	snprintf(d.name, sizeof(d.name), "%s", ibv_get_device_name(dev));
	d.ctx = ibv_open_device(dev);
	if (!d.ctx) {
		classify(&d);
		fprintf(f, "%-10s %-15s %s; cannot open it: %s\n", d.name,
			d.path, d.why, strerror(errno));
		return;
	}
	if (probe(&d, -1)) {
		fprintf(f, "%-10s %-15s %s; cannot query it (see above)\n",
			d.name, d.path ? d.path : "unknown", d.why);
		rdma_dev_close(&d);
		return;
	}
	fprintf(f, "%-10s %-15s %s\n", d.name, d.path, d.why);
	fprintf(f, "%-10s driver %s%s%s%s%s, fw %s, %s, transport %s\n", "",
		d.driver[0] ? d.driver : "unknown",
		d.netdev[0] ? " on " : "", d.netdev,
		!d.soft && d.parent[0] ? " at " : "", !d.soft ? d.parent : "",
		d.fw_ver[0] ? d.fw_ver : "-", d.node_type, d.transport);
	fprintf(f, "%-10s port 1 %s, %s", "", ibv_port_state_str(d.pa.state),
		d.ethernet ? "Ethernet" : "InfiniBand");
	if (d.gid_index >= 0)
		fprintf(f, ", GID %d %s (%s)", d.gid_index, d.gid_str,
			d.gid_type);
	fprintf(f, ", max_mr_size %llu\n", (unsigned long long)d.max_mr_size);
	fprintf(f, "%-10s on-demand paging: ", "");
	odp_line(f, &d);
	if (rdma_port_problem(&d, buf, sizeof(buf)))
		fprintf(f, "\n%-10s data path: %s", "", buf);
	fputc('\n', f);
	rdma_dev_close(&d);
}

int rdma_dev_list(FILE *f)
{
	struct ibv_device **list;
	int n = 0;

	list = dev_list(&n);
	if (!list)
		return -ENODEV;
	for (int i = 0; i < n; i++)
		list_one(f, list[i]);
	ibv_free_device_list(list);
	return 0;
}

static void json_hex(struct json *j, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	json_str(j, key, buf);
}

/* The device as the provenance of a point. */
void rdma_dev_json(struct json *j, const struct rdma_dev *d)
{
	json_obj_begin(j, "device");
	json_str(j, "name", d->name);
	json_str(j, "path", d->path);
	json_bool(j, "soft", d->soft);
	json_str(j, "why", d->why);
	json_str(j, "driver", d->driver);
	json_str(j, "parent", d->soft ? "" : d->parent);
	json_str(j, "iommu_group_type", d->group_type);
	json_str(j, "netdev", d->netdev);
	json_str(j, "node_desc", d->node_desc);
	json_str(j, "fw_ver", d->fw_ver);
	json_str(j, "node_type", d->node_type);
	json_str(j, "transport", d->transport);
	json_hex(j, "vendor_id", d->vendor_id);
	json_hex(j, "vendor_part_id", d->vendor_part_id);
	json_u64(j, "max_mr_size", d->max_mr_size);
	json_int(j, "max_qp_wr", d->max_qp_wr);
	json_int(j, "max_cqe", d->max_cqe);
	json_str(j, "memlock", d->memlock);
	json_obj_begin(j, "odp");
	json_bool(j, "known", d->odp_known);
	if (d->odp_known) {
		json_bool(j, "supported", d->odp.general_caps & IBV_ODP_SUPPORT);
		json_hex(j, "general_caps", d->odp.general_caps);
		json_hex(j, "rc_odp_caps", d->odp.per_transport_caps.rc_odp_caps);
		json_hex(j, "uc_odp_caps", d->odp.per_transport_caps.uc_odp_caps);
		json_hex(j, "ud_odp_caps", d->odp.per_transport_caps.ud_odp_caps);
	} else {
		json_str(j, "why", d->odp_why);
	}
	json_obj_end(j);
	json_obj_begin(j, "port");
	json_int(j, "number", d->port);
	json_str(j, "state", ibv_port_state_str(d->pa.state));
	json_str(j, "link_layer", d->ethernet ? "Ethernet" : "InfiniBand");
	json_int(j, "active_mtu", 128 << d->pa.active_mtu);
	json_u64(j, "max_msg_sz", d->pa.max_msg_sz);
	json_int(j, "lid", d->pa.lid);
	json_int(j, "gid_index", d->gid_index);
	json_str(j, "gid", d->gid_str);
	json_str(j, "gid_type", d->gid_type);
	json_str(j, "gid_why", d->gid_why);
	json_str(j, "addr", d->addr);
	json_obj_end(j);
	json_obj_end(j);
}
