/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench: the APIs with traced calls (DMABENCH_RUN_TRACE), one line each:
 * DMABENCH_TRACED(name, API) makes dmabench_traced_map_<name>() and
 * dmabench_traced_unmap_<name>() for DMABENCH_API_<API>.  Included with
 * DMABENCH_TRACED defined (a declaration, a definition, a dispatch); this
 * file undefines it.
 */
DMABENCH_TRACED(none, NONE);
DMABENCH_TRACED(page, PAGE);
DMABENCH_TRACED(phys, PHYS);
DMABENCH_TRACED(single, SINGLE);
DMABENCH_TRACED(resource, RESOURCE);
DMABENCH_TRACED(sg, SG);
DMABENCH_TRACED(iova, IOVA);
DMABENCH_TRACED(phys_page, PHYS_PAGE);
#undef DMABENCH_TRACED
