# dmabench: how much does a streaming DMA mapping cost?  See README.md.
#
#   make bench          measure the running kernel, or the VM lab where
#                       modules cannot be loaded here (6.12 against 7.3,
#                       the quick matrix, ~15 min; FULL=1 everything)
#   make test           the test suite (TAP, read by prove)
#   make vm-bench KERNEL=7.3|src:7.3 DMA=all ICOUNT=1 QUICK=1 [NVME=0] [RDMA=1]
#                       one kernel in the VM lab (NVMe workloads by
#                       default, RDMA on request); ARCH=arm64: Debian's
#                       arm64 kernel under qemu-system-aarch64
#   make vm-stress KERNEL=src:7.3+debug [CALLS=1000000] [DMA=all]
#                       the control interface fuzzed on every DMA path with
#                       faults injected (unload, unbind, group switches,
#                       the tool killed), dma-debug counts, kmemleak, the
#                       log checked for WARN, BUG, KASAN, lockdep, ...
#   make vm-peer [KERNEL=src:7.3] [DMA=iommu-strict] [SIZE=4096]
#                [DIR=to_device] [SECONDS=2] [SAMPLES=10000] [TRACE=1]
#                       the kernel's dma_map_benchmark beside dmabench
#                       (single) in one -icount boot: a run directory;
#                       TRACE=1: one call of each traced, their
#                       difference by function
#   make vm-compare A=6.12 B=7.3 ICOUNT=1 QUICK=1 [ARCH=arm64]
#                       both kernels in the lab, compared, plotted, reported
#   make vm-trace KERNEL=7.3 DMA=direct [API=page,phys] [SIZE=4096]
#                [DIR=to_device] [CPU=<qemu model>]
#                       exact per-function instruction traces of one map
#                       and one unmap per API and path, beside ICOUNT
#                       medians of the same boot
#   CPU=<qemu model>    the lab's -cpu (vm-bench, vm-compare, vm-trace,
#                       make bench in the lab; default max,vendor=GenuineIntel)
#   make vm-kernel SRC=7.3 [CONFIG=debug]
#                       build Debian's linux-source-7.3 with the lab's one
#                       configuration (configs/kernel/lab.config, plus the
#                       fragments CONFIG names), cached; prints the tree.
#                       KERNEL=src:7.3 (src:7.3+debug) boots it
#   make publish        regenerate results/published/ (6.12 against 7.3)
#                       [STEPS=debian,src,within,cpu,verdict,install,arm64]
#                       [DRY=1]: and the same-config builds, page against
#                       phys, a CPU-model run, VERDICT.md (lab/publish.sh)
#   make verdict DA=<run> DB=<run> SA=<run> SB=<run> [CPU_RUN=<run>]
#                       VERDICT.md from four traced runs (dmabench verdict)
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
#   make deps           check (and on Debian/Ubuntu, as root, install) what
#                       the host needs; every target below runs it first
#                       for what it needs (scripts/deps.sh)

KERNEL ?= 7.3
DMA ?= all
ICOUNT ?= 0
QUICK ?= 0
PCI ?=
CONFIG ?=
KDIR ?= /lib/modules/$(shell uname -r)/build

flag = $(if $(filter 1 y yes,$(1)),$(2))
# The dependency step: scripts/deps.sh GROUP... (build, lab, plots, test)
deps = scripts/deps.sh $(1)

bench:
	$(call deps,lab plots)
	KERNELS="$(KERNELS)" PCI="$(PCI)" QUICK="$(QUICK)" CONFIG="$(CONFIG)" CPU="$(CPU)" FULL="$(FULL)" \
		NVME="$(NVME)" NVME_ARGS="$(NVME_ARGS)" RDMA="$(RDMA)" \
		exec scripts/bench.sh

test:
	$(call deps,test)
	tests/run.sh

# vm-bench: NVME=0 drops the NVMe workloads, RDMA=1 adds the RDMA ones
# (make bench: NVME=<namespace>, RDMA=<ibdev>).
vm-bench:
	$(call deps,lab)
	lab/vm-bench.sh $(if $(filter arm64 aarch64,$(ARCH)),--arch arm64) --kernel $(KERNEL) --dma $(DMA) $(if $(CONFIG),--config $(CONFIG)) \
		$(call flag,$(ICOUNT),--icount) $(call flag,$(QUICK),--quick) \
		$(if $(filter 0 n no,$(NVME)),--no-nvme) $(call flag,$(RDMA),--rdma) \
		$(if $(NVME_ARGS),--nvme-args "$(NVME_ARGS)") $(if $(CPU),--cpu $(CPU))

# vm-stress: the ioctl fuzzer against the module in a guest of KERNEL
# (CALLS=1000000 by default, SEED= to repeat a run); see README.md.
vm-stress:
	lab/vm-stress.sh --kernel $(KERNEL) --dma $(DMA) $(if $(CALLS),--calls $(CALLS)) \
		$(if $(SEED),--seed $(SEED)) $(if $(STRESS_TIME),--time $(STRESS_TIME)) \
		$(if $(MATRIX),--matrix $(MATRIX))

# vm-peer: the kernel's dma_map_benchmark beside dmabench micro --api single,
# one -icount boot of a kernel built by the lab (KERNEL defaults to src:7.3
# here); see README.md.
vm-peer:
	lab/vm-peer.sh --kernel $(if $(filter command line,$(origin KERNEL)),$(KERNEL),src:7.3) \
		$(if $(filter-out all,$(DMA)),--dma $(DMA)) $(if $(SIZE),--size $(SIZE)) \
		$(if $(DIR),--dir $(DIR)) $(if $(SECONDS),--seconds $(SECONDS)) \
		$(if $(SAMPLES),--samples $(SAMPLES)) $(if $(TRACE),--trace)

vm-compare:
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make vm-compare A=<kernel> B=<kernel> [DMA=] [ICOUNT=1] [QUICK=1]" >&2; exit 2; }
	$(call deps,lab plots)
	exec lab/vm-compare.sh $(A) $(B) $(if $(filter arm64 aarch64,$(ARCH)),--arch arm64) --dma $(DMA) $(if $(CONFIG),--config $(CONFIG)) \
		$(call flag,$(ICOUNT),--icount) $(call flag,$(QUICK),--quick) \
		$(if $(CPU),--cpu $(CPU))

vm-trace:
	lab/vm-trace.sh --kernel $(KERNEL) --dma $(DMA) $(if $(API),--api $(API)) \
		$(if $(SIZE),--size $(SIZE)) $(if $(DIR),--dir $(DIR)) \
		$(if $(CPU),--cpu $(CPU))

# vm-kernel: CONFIG names kernel configuration fragments here (debug, or
# paths; comma- or +-separated), not dmabench micro options.
comma := ,
vm-kernel:
	@test -n "$(SRC)" || { echo "usage: make vm-kernel SRC=6.12|7.2|7.3 [CONFIG=fragment,...]" >&2; exit 2; }
	lab/kbuild.sh $(SRC) $(subst +, ,$(subst $(comma), ,$(CONFIG)))

publish:
	$(call deps,lab plots)
	lab/publish.sh $(if $(STEPS),--steps $(STEPS)) $(call flag,$(DRY),--dry-run)

verdict: userspace
	@test -n "$(DA)" -a -n "$(DB)" -a -n "$(SA)" -a -n "$(SB)" || { echo "usage: make verdict DA=<run> DB=<run> SA=<run> SB=<run> [CPU_RUN=<run>] [OUT=VERDICT.md]" >&2; exit 2; }
	userspace/dmabench verdict --da "$(DA)" --db "$(DB)" --sa "$(SA)" --sb "$(SB)" \
		$(if $(CPU_RUN),--cpu "$(CPU_RUN)") --out "$(or $(OUT),VERDICT.md)"
.PHONY: verdict

plots:
	@test -n "$(RUN)" || { echo "usage: make plots RUN=<run> [BASE=<run>]" >&2; exit 2; }
	$(call deps,build plots)
	scripts/plots.sh "$(RUN)" $(BASE)

report:
	@test -n "$(RUN)" || { echo "usage: make report RUN=<run> [BASE=<run>]" >&2; exit 2; }
	$(call deps,build plots)
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

deps:
	scripts/deps.sh all

module:
	$(MAKE) -C bench-module KDIR=$(KDIR)

userspace:
	$(call deps,build)
	$(MAKE) -C userspace

clean:
	-$(MAKE) -C bench-module clean KDIR=$(KDIR)
	$(MAKE) -C userspace clean
	rm -rf build

.PHONY: deps bench test vm-bench vm-stress vm-peer vm-compare vm-trace vm-kernel publish plots report module userspace clean \
	nvme fio rdma nvmeof
