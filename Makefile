# dmabench: how much does a streaming DMA mapping cost?  See README.md.
#
#   make bench          measure the running kernel, or the VM lab where
#                       modules cannot be loaded here
#   make test           the test suite (TAP, read by prove)
#   make vm-bench KERNEL=7.3 DMA=all ICOUNT=1 QUICK=1
#                       one kernel in the VM lab
#   make vm-compare A=6.12 B=7.3 ICOUNT=1 QUICK=1
#                       both kernels in the lab, compared, plotted, reported
#   make publish        regenerate results/published/ (6.12 against 7.3)
#   make plots RUN=<run> [BASE=<run>]    gnuplot images into <run>/plots/
#   make report RUN=<run> [BASE=<run>]   <run>/report.md
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
		scripts/bench.sh

test:
	tests/run.sh

vm-bench:
	lab/vm-bench.sh --kernel $(KERNEL) --dma $(DMA) $(if $(CONFIG),--config $(CONFIG)) \
		$(call flag,$(ICOUNT),--icount) $(call flag,$(QUICK),--quick)

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

module:
	$(MAKE) -C bench-module KDIR=$(KDIR)

userspace:
	$(MAKE) -C userspace

clean:
	-$(MAKE) -C bench-module clean KDIR=$(KDIR)
	$(MAKE) -C userspace clean
	rm -rf build

.PHONY: bench test vm-bench vm-compare publish plots report module userspace clean
