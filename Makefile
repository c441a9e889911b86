# dmabench: how much does a streaming DMA mapping cost?  See README.md.
#
#   make bench          measure the running kernel, or the VM lab where
#                       modules cannot be loaded here
#   make test           the test suite (TAP, read by prove)
#   make vm-bench KERNEL=7.3 DMA=all ICOUNT=1 QUICK=1 [NVME=0] [RDMA=1]
#                       one kernel in the VM lab (NVMe workloads by
#                       default, RDMA on request); ARCH=arm64: Debian's
#                       arm64 kernel under qemu-system-aarch64
#   make vm-compare A=6.12 B=7.3 ICOUNT=1 QUICK=1
#                       both kernels in the lab, compared, plotted, reported
#   make publish        regenerate results/published/ (6.12 against 7.3)
#   make plots RUN=<run> [BASE=<run>]    gnuplot images into <run>/plots/
#   make report RUN=<run> [BASE=<run>]   <run>/report.md
#   make nvme DEV=/dev/nvme0n1 [ARGS=...] [RUN=<run>]
#   make fio  DEV=/dev/nvme0n1 [ARGS=...] [RUN=<run>]
#                       the NVMe workloads (reads unless ARGS has
#                       --allow-write), into RUN or a new run
#   make rdma [RDMA=<ibdev>] [ARGS=...] [RUN=<run>]
#                       the RDMA workloads
#   make nvmeof [RXE=<netdev>] [ADDR=<ip>] [ARGS=...]
#                       NVMe over RDMA looped back, dmabench nvme on it,
#                       torn down again (scripts/nvmeof-rdma.sh)
#   make module         build bench-module/dmabench.ko for the running kernel
#   make userspace      build userspace/dmabench

KERNEL ?= 7.3
DMA ?= all
ICOUNT ?= 0
QUICK ?= 0
PCI ?=
CONFIG ?=
KDIR ?= /lib/modules/$(shell uname -r)/build

flag = $(if $(filter 1 y yes,$(1)),$(2))

bench:
	KERNELS="$(KERNELS)" PCI="$(PCI)" QUICK="$(QUICK)" CONFIG="$(CONFIG)" \
		NVME="$(NVME)" NVME_ARGS="$(NVME_ARGS)" RDMA="$(RDMA)" \
		scripts/bench.sh

test:
	tests/run.sh

# vm-bench: NVME=0 drops the NVMe workloads, RDMA=1 adds the RDMA ones
# (make bench: NVME=<namespace>, RDMA=<ibdev>).
vm-bench:
	lab/vm-bench.sh $(if $(filter arm64 aarch64,$(ARCH)),--arch arm64) --kernel $(KERNEL) --dma $(DMA) $(if $(CONFIG),--config $(CONFIG)) \
		$(call flag,$(ICOUNT),--icount) $(call flag,$(QUICK),--quick) \
		$(if $(filter 0 n no,$(NVME)),--no-nvme) $(call flag,$(RDMA),--rdma) \
		$(if $(NVME_ARGS),--nvme-args "$(NVME_ARGS)")

vm-compare:
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make vm-compare A=<kernel> B=<kernel> [DMA=] [ICOUNT=1] [QUICK=1]" >&2; exit 2; }
	lab/vm-compare.sh $(A) $(B) --dma $(DMA) $(if $(CONFIG),--config $(CONFIG)) \
		$(call flag,$(ICOUNT),--icount) $(call flag,$(QUICK),--quick)

publish:
	lab/publish.sh

plots:
	@test -n "$(RUN)" || { echo "usage: make plots RUN=<run> [BASE=<run>]" >&2; exit 2; }
	scripts/plots.sh "$(RUN)" $(BASE)

report:
	@test -n "$(RUN)" || { echo "usage: make report RUN=<run> [BASE=<run>]" >&2; exit 2; }
	scripts/report.sh "$(RUN)" $(BASE)

ARGS ?= --quick
where = $(if $(RUN),--into $(RUN),--out results)

nvme fio: userspace
	@test -n "$(DEV)" || { echo "usage: make $@ DEV=/dev/nvme0n1 [ARGS=...] [RUN=<run>]" >&2; exit 2; }
	userspace/dmabench $@ $(where) $(ARGS) $(DEV)

rdma: userspace
	userspace/dmabench rdma $(where) $(if $(RDMA),--dev $(RDMA)) $(ARGS)

nvmeof: userspace
	scripts/nvmeof-rdma.sh $(if $(RXE),--rxe $(RXE)) $(if $(ADDR),--addr $(ADDR)) \
		-- $(where) $(ARGS)

module:
	$(MAKE) -C bench-module KDIR=$(KDIR)

userspace:
	$(MAKE) -C userspace

clean:
	-$(MAKE) -C bench-module clean KDIR=$(KDIR)
	$(MAKE) -C userspace clean
	rm -rf build

.PHONY: bench test vm-bench vm-compare publish plots report module userspace clean \
	nvme fio rdma nvmeof
